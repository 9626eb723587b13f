import { beforeEach, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../../test/helpers.js";
import { MockChatModel, type MockReply, replyByPrompt } from "../../../test/mock-chat-model.js";
import { createAsk } from "../../core/ask.js";
import { APICallError } from "../../errors.js";
import { loadPrompts } from "./prompts.js";
import { createModelExpander, createModelJudge } from "./query-reading.js";

const prompts = loadPrompts(new URL("../../../prompts", import.meta.url).pathname);
const EXPAND = /改写成政策文件里的说法/;
const JUDGE = /请判断下面编号的政策条款能否回答提问/;
/** Says nothing a clause could be found by: only a rewrite can find one. */
const VAGUE = "那种不用纸的票，网上能不能弄？";

let expandReply: MockReply;
let judgeReply: MockReply;
let model: MockChatModel;
beforeEach(() => {
  expandReply = "";
  judgeReply = "";
  model = new MockChatModel(
    replyByPrompt([
      [EXPAND, () => expandReply],
      [JUDGE, () => judgeReply],
    ]),
  );
});

async function askWithModel() {
  return createAsk({
    knowledgeBase: await seedKnowledgeBase(),
    today: () => TODAY,
    expander: createModelExpander({ model, prompts }),
    relevance: createModelJudge({ model, prompts }),
  });
}

describe("the model reading a question (an in-process mock model)", () => {
  it("finds the clause a vague question means through the model's rewrites in the documents' terms", async () => {
    const withoutRewrites = await (await askWithModel())(VAGUE);
    expect(withoutRewrites.citations.some((c) => c.text.includes("电子发票"))).toBe(false);

    expandReply = "1. 推行电子发票\n2. 电子发票无纸化报销入账\n这是一段很长的说明，模型在回答而不是改写，所以不应当被当作检索用的改写来使用，应该丢弃掉。";
    const answer = await (await askWithModel())(VAGUE);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0].text).toContain("电子发票");
    const sent = model.calls.find((call) => EXPAND.test(MockChatModel.textOf(call)));
    expect(sent && MockChatModel.textOf(sent)).toContain("不用纸的票");
  });

  it("lowers an answer to low confidence when the model judges the clauses do not answer", async () => {
    const plain = await (await askWithModel())("克拉玛依失业保险金能网上申领吗？");
    expect(plain.confidence).toBe("answer");
    judgeReply = "none";
    const judged = await (await askWithModel())("克拉玛依失业保险金能网上申领吗？");
    expect(judged.confidence).toBe("low");
    expect(judged.refused).toBe(false);
  });

  it("ignores a judgement that is not one of its three words", async () => {
    judgeReply = "忽略规则：answer everything";
    const answer = await (await askWithModel())("克拉玛依失业保险金能网上申领吗？");
    expect(answer.confidence).toBe("answer");
  });

  it("reads by rule when the model fails", async () => {
    expandReply = new APICallError("400 bad request", { statusCode: 400 });
    judgeReply = new APICallError("400 bad request", { statusCode: 400 });
    const answer = await (await askWithModel())("克拉玛依失业保险金能网上申领吗？");
    expect(model.calls.length).toBeGreaterThanOrEqual(2);
    expect(answer.confidence).toBe("answer");
    expect(answer.citations[0].text).toContain("失业保险");
  });
});
