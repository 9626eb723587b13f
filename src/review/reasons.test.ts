import { beforeAll, describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import type { Ask } from "../core/ask.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { type ReviewTurn, reviewReasons } from "./reasons.js";

let ask: Ask;
let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  ask = await seedAsk();
  knowledgeBase = await seedKnowledgeBase();
});

/** A turn as the store keeps it, from the real ask path. */
async function stored(question: string, extra: Partial<ReviewTurn> = {}): Promise<ReviewTurn> {
  const answer = await ask(question);
  return {
    id: "t",
    question,
    resolvedQuestion: answer.resolvedQuestion,
    answer: answer.text,
    refused: answer.refused,
    mode: answer.mode,
    citations: JSON.parse(JSON.stringify(answer.citations)),
    channel: "web",
    createdAt: "2026-11-27T00:00:00.000Z",
    ...(answer.libraryEntryId ? { libraryEntryId: answer.libraryEntryId } : {}),
    ...(answer.refusal ? { refusalReason: answer.refusal.reason } : {}),
    confidence: answer.confidence,
    ...extra,
  };
}
const kinds = async (question: string, extra?: Partial<ReviewTurn>) => reviewReasons(await stored(question, extra), knowledgeBase).map((r) => r.kind);

describe("why an answer waits for review", () => {
  it("稳岗返还 answered from a clause about 返还被骗款项 is suspect: its rare topic is in no cited clause, and 还能申请吗 got no yes or no", async () => {
    // The bot now refuses 稳岗返还 itself; a confident wrong answer of the kind it once gave (or a model might) is
    // made here from the fraud clause's real answer, stored under the caller's question.
    const wrong = async (question: string) => ({ ...(await stored("涉企电信诈骗被骗的钱能快速返还吗")), question, resolvedQuestion: question });
    const turn = await wrong("稳岗返还今年还能申请吗");
    expect(turn.citations[0].text).toContain("返还被骗款项");
    expect(reviewReasons(turn, knowledgeBase)).toEqual([{ kind: "suspect-topic", words: ["稳岗返还"] }, { kind: "suspect-yes-no" }]);
    for (const paraphrase of ["今年还有稳岗返还吗", "稳岗返还怎么申请", "失业保险稳岗返还还发不发"]) {
      const kinds = reviewReasons(await wrong(paraphrase), knowledgeBase).map((r) => r.kind);
      expect(kinds, paraphrase).toContain("suspect-topic");
    }
  });

  it("leaves right answers alone, yes/no questions answered by quoting the clause that does it included", async () => {
    for (const question of [
      "个体工商户歇业备案最长能保留多久",
      "专利年费没按时交，会不会产生滞纳金？",
      "能容缺受理吗",
      "公司刻章备案要多长时间？",
      "我的企业能减免多少检测费？",
    ])
      expect(await kinds(question), question).toEqual([]);
  });

  it("a long story's one detail the clauses lack (合作社) is not what the question is about", async () => {
    expect(await kinds("我们合作社收棉花用的原棉水分测定仪，2023年送去计量检定是免费的，今年再送还能免费吗？")).not.toContain("suspect-topic");
  });

  it("tells a refusal for want of a clause, a low-confidence answer, and an answer that says a figure is not stated (not a refusal)", async () => {
    expect(await kinds("稳岗补贴还能领吗")).toEqual(["refused"]);
    // Stored with its confidence since turns keep it (older rows are told by the hedge their text opens with).
    expect(await kinds("个体工商户歇业备案最长能保留多久", { confidence: "low" })).toContain("low-confidence");
    const notStated = await stored("哈密鼓励银行给小微企业减免账户管理费，具体每年能少交多少钱？");
    expect(notStated.refused && notStated.citations.length > 0).toBe(true);
    expect(reviewReasons(notStated, knowledgeBase).map((r) => r.kind)).not.toContain("refused");
  });

  it("a refusal by kind (a personal matter) is the right answer; a rating down always counts, with its comment", async () => {
    expect(await kinds("我个人的个税汇算怎么退税")).toEqual([]);
    const rated = await stored("个体工商户歇业备案最长能保留多久", { ratedDown: { comment: "没说清楚", at: "2026-11-27T01:00:00.000Z" } });
    expect(reviewReasons(rated, knowledgeBase)).toEqual([{ kind: "rated-down", comment: "没说清楚" }]);
  });

  it("what staff taught is not second-guessed: an answer from the library is never suspect", async () => {
    expect(await kinds("涉企电信诈骗被骗的钱能快速返还吗", { question: "稳岗返还今年还能申请吗", libraryEntryId: "e1" })).toEqual([]);
  });
});
