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

  it("takes a bare topic, or a frame question with a lesser topic, that the earlier topic's clauses do not speak of as a new question", async () => {
    for (const [before, turn, cited] of [
      ["哈密市居民用非电网直供电价格是多少", "检验检测费", "检验检测"],
      ["专利年费滞纳金能减免吗", "歇业备案", "歇业备案"],
      // Its only rare words are its frame's (要什么材料), but 开办 is a topic of its own.
      ["专利年费滞纳金能减免吗", "企业开办需要什么材料", "企业开办"],
    ]) {
      const answer = await converse(before, turn);
      expect(answer.resolvedQuestion).toBe(turn);
      expect(answer.citations[0].text).toContain(cited);
    }
  });

  it("switches the place and keeps the topic, saying plainly that the new place has no measure of its own", async () => {
    for (const turn of ["克拉玛依的", "那克拉玛依呢"]) {
      const answer = await converse("哈密市工商业非电网直供电加价幅度最多多少？", turn);
      expect(answer.resolvedQuestion).not.toContain("哈密");
      expect(answer.resolvedQuestion).toContain("非电网直供电");
      expect(answer.text.startsWith("知识库中没有找到克拉玛依市的专门规定；以下是自治区的规定")).toBe(true);
      // Hami's figure is not quoted as Karamay's.
      expect(answer.text).not.toContain("12%");
    }
    // A city that has its own clause, or a question naming no place, gets no such line.
    for (const question of ["哈密市工商业非电网直供电加价幅度最多多少？", "工商业非电网直供电加价幅度最多多少？"]) {
      expect((await converse(question)).text).not.toContain("知识库中没有找到");
    }
  });
});

describe("a frame the cited clauses do not state", () => {
  it("says the clauses do not state where or what it costs, then quotes what they do say", async () => {
    for (const [turn, asked] of [
      ["在哪里办", "办理地点"],
      ["要钱吗", "是否收费"],
    ]) {
      const answer = await converse("公司刻章备案要多长时间？", turn);
      expect(answer.refused).toBe(true);
      expect(answer.refusal?.reason).toBe("not-stated");
      expect(answer.text.startsWith(`文件中没有写明${asked}。`)).toBe(true);
      expect(answer.text).toContain("刻章备案的办理时限压缩至1个工作日");
    }
  });

  it("says how long is not stated when the clause on the topic gives no span of time, and answers when it does", async () => {
    const unstated = await converse("税费业务全疆通办，异地办一件事要几天？");
    expect(unstated.refused).toBe(true);
    expect(unstated.text.startsWith("文件中没有写明需要多长时间。")).toBe(true);
    expect(unstated.text).toContain("全疆通办");
    const stated = await converse("商标质押登记审查要几个工作日？");
    expect(stated.refused).toBe(false);
    expect(stated.text.slice(0, 300)).toContain("2个工作日");
  });

  it("answers where when the clause does say it", async () => {
    const answer = await converse("一般企业开办几个工作日能办完？", "在哪里办");
    expect(answer.refused).toBe(false);
    expect(answer.text.slice(0, 300)).toContain("全程网办");
  });
});
