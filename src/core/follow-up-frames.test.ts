import { describe, expect, it } from "vitest";
import { seedAsk } from "../../test/helpers.js";
import type { Answer, Turn } from "../types.js";

/** Asks each question in turn, each with the turns before it as the channels pass them. */
async function converse(...questions: string[]) {
  const ask = await seedAsk();
  const history: Turn[] = [];
  let answer: Answer | undefined;
  for (const question of questions) {
    answer = await ask(question, history);
    history.push({ question, resolvedQuestion: answer.resolvedQuestion, answer: answer.text });
  }
  return answer!;
}

describe("follow-ups that ask a frame, not a topic (conversation/question-frames.json)", () => {
  it("reads 截止到什么时候 as asking about the earlier topic, though 截止 is a rare word", async () => {
    const answer = await converse("专利年费滞纳金能减免吗", "截止到什么时候");
    expect(answer.resolvedQuestion).toContain("专利年费");
    expect(answer.citations[0].text).toContain("专利年费");
    expect(answer.text.slice(0, 300)).toContain("2023年6月15日");
  });

  it("keeps the conversation's place for a bare topic that names none", async () => {
    const answer = await converse("哈密市居民用非电网直供电价格是多少", "农业用电");
    expect(answer.resolvedQuestion).toContain("哈密");
    expect(answer.citations[0].region).toBe("哈密市");
    expect(answer.text.slice(0, 300)).toContain("0.312");
  });
});
