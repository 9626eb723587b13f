import { Writable } from "node:stream";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../../test/helpers.js";
import { MockChatModel, type MockReply, replyByPrompt } from "../../../test/mock-chat-model.js";
import { createAsk } from "../../core/ask.js";
import type { ChatRequest } from "./chat-model.js";
import { withAnswerDeadline } from "./deadline.js";
import { BRIEF_NOTICE, createModelWriter, MAX_ANSWER_TOKENS, type ModelWriterOptions, newModelStats } from "./model-writer.js";
import { loadPrompts } from "./prompts.js";
import { createModelExpander, createModelJudge } from "./query-reading.js";
import { ResilientChatModel } from "./resilient.js";

// What the model path must never let through: unverified drafts, runaway replies, a bug passed off as an outage.
// Against an in-process mock model; unfinished streams and waits past the budget are wire matters (model-protocol.test.ts).
const prompts = loadPrompts(new URL("../../../prompts", import.meta.url).pathname);
const ANSWER = /请依据上述编号条款回答用户问题/;
const QUESTION = "我的企业能减免多少检测费？";
const FIRST = "自治区产品质量监督检验研究院对中小微企业减免30%-50%的检验检测费用[1]。";
const GOOD = `${FIRST}该措施实施期限为2023年5月1日至2023年8月31日，现已到期[1]。`;

/** The writer's answers, in the order asked for; the rewrites and the judgement answer "" (none, no opinion). */
let answers: MockReply[];
let model: MockChatModel;
beforeEach(() => {
  answers = [];
  model = new MockChatModel(
    replyByPrompt(
      [
        [/改写成政策文件里的说法/, () => ""],
        [/请判断下面编号的政策条款能否回答提问/, () => ""],
      ],
      () => answers.shift() ?? new Error("no answer queued"),
    ),
  );
});

/** The ask the runtime wires with ANSWERS=llm around the mock (resilience, one deadline), with writer options replaced. */
async function askWithModel(writer: Partial<ModelWriterOptions> = {}) {
  const resilient = new ResilientChatModel(model, { timeoutMs: 3000 });
  const ask = createAsk({
    knowledgeBase: await seedKnowledgeBase(),
    today: () => TODAY,
    writer: createModelWriter({ model: resilient, prompts, today: () => TODAY, ...writer }),
    expander: createModelExpander({ model: resilient, prompts }),
    relevance: createModelJudge({ model: resilient, prompts }),
  });
  return withAnswerDeadline(ask, 3000);
}

/** The calls that wrote an answer (the first draft and any repair). */
const writerCalls = (): ChatRequest[] => model.calls.filter((call) => ANSWER.test(call.messages[1]?.content ?? ""));

describe("only verified text leaves the model path", () => {
  it("streams the verified first sentence, holds back an invented figure, and marks the draft rejected", async () => {
    answers.push(`${FIRST}另可再减免90%[1]。`, GOOD);
    const tokens: string[] = [];
    const answer = await (await askWithModel())(QUESTION, [], { onToken: (t) => tokens.push(t) });
    expect(tokens.join("")).toBe(FIRST);
    expect(answer.mode).toBe("llm");
    expect(answer.draftRejected).toBe(true);
    expect(answer.text).not.toContain("90%");
    // The repair is asked for whole, not streamed: what was shown stays the verified first sentence.
    const [streamed, repair] = writerCalls();
    expect(streamed.onToken).toBeTypeOf("function");
    expect(repair.onToken).toBeUndefined();
    expect(repair.messages.at(-1)?.content).toContain("90%");
  });
});

describe("limits", () => {
  it("caps the reply in tokens on the request and in characters on what comes back", async () => {
    const long = FIRST.repeat(60);
    answers.push(long);
    const answer = await (await askWithModel())(QUESTION);
    expect(writerCalls()[0].maxTokens).toBe(MAX_ANSWER_TOKENS);
    expect(answer.mode).toBe("extractive");
    expect(answer.fallbackReason).toBe("too-long");
    expect(answer.text.length).toBeLessThan(long.length);
    expect(answer.text).not.toContain(BRIEF_NOTICE);
    // Too long is no outage: no repair, no retry.
    expect(writerCalls()).toHaveLength(1);

    answers.push(long);
    const tokens: string[] = [];
    const streamed = await (await askWithModel())(QUESTION, [], { onToken: (t) => tokens.push(t) });
    expect(streamed.fallbackReason).toBe("too-long");
    expect(tokens.join("").length).toBeLessThan(long.length);
  });
});

describe("guards the model path adds", () => {
  it("says that a cited measure has ended when the model did not", async () => {
    answers.push(FIRST);
    const answer = await (await askWithModel())(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.body).toMatch(/注意：\[1\].*2023年8月31日/);
  });

  it("reports a bug in verification as a bug, with its stack, and still answers", async () => {
    const logged: Array<{ level: number; msg: string; err?: { stack?: string } }> = [];
    const logger = pino(
      { level: "warn" },
      new Writable({
        write(chunk, _, done) {
          logged.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const stats = newModelStats();
    const verify = () => {
      throw new TypeError("verifier bug");
    };
    answers.push(GOOD);
    const answer = await (await askWithModel({ logger, stats, verify }))(QUESTION);
    expect(answer.fallbackReason).toBe("internal-error");
    expect(answer.text).not.toContain(BRIEF_NOTICE);
    expect(stats).toMatchObject({ internalErrors: 1, fallbacks: 1 });
    const error = logged.find((line) => line.level >= 50);
    expect(error?.err?.stack).toContain("verifier bug");
    // A bug is not retried as an outage would be.
    expect(writerCalls()).toHaveLength(1);
  });
});
