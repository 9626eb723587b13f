import { describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { localRateLimiter } from "../cluster/rate-limiter.js";
import { namedConversations } from "../conversation/conversations.js";
import { AppError } from "../errors.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { Turn } from "../types.js";
import type { Ask } from "./ask.js";
import { createDispatcher, type DispatchContext, type DispatcherOptions, type Intercept } from "./dispatch.js";
import { APOLOGY, greetingText, helpText, NON_TEXT_HINT, RATE_LIMITED_TEXT, RESET_TEXT } from "./messages.js";

const EXAMPLES = ["检测费能减免吗？", "歇业能保留多久？", "刻章备案要多久？"];
const context: DispatchContext = { channel: "wechaty", userId: "u1", conversationKey: "wechaty:u1" };

function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
  const asked: { question: string; history: Turn[] }[] = [];
  const ask: Ask = async (question, history = []) => {
    asked.push({ question, history });
    return fakeAnswer({ body: `答：${question}`, resolvedQuestion: question });
  };
  const store = openSqliteStore(":memory:");
  const dispatch = createDispatcher({ ask, store, conversations: namedConversations(), examples: EXAMPLES, ...overrides });
  return { dispatch, asked, store };
}

describe("the dispatcher", () => {
  it("answers a question with the conversation's history and records the turn under the channel", async () => {
    const { dispatch, asked, store } = dispatcher();
    await dispatch({ text: "检测费能减免吗？" }, context);
    const second = await dispatch({ text: " 那歇业呢？ " }, context);
    expect(asked.map((a) => a.question)).toEqual(["检测费能减免吗？", "那歇业呢？"]);
    expect(asked[1].history.map((t) => t.question)).toEqual(["检测费能减免吗？"]);
    expect(second).toMatchObject({ kind: "answer", conversationId: "wechaty:u1", recorded: { stored: true } });
    expect((await store.history("wechaty:u1")).length).toBe(2);
  });

  it("reads no history for a conversation the channel has just begun, and still records its turn", async () => {
    const { store } = dispatcher();
    let reads = 0;
    const history = store.history.bind(store);
    const { dispatch: counted } = dispatcher({
      store: {
        recordTurn: (turn) => store.recordTurn(turn),
        history: (id, limit) => {
          reads++;
          return history(id, limit);
        },
      },
    });
    const fresh = await counted({ text: "检测费能减免吗？" }, { ...context, conversationKey: "api:new", newConversation: true });
    expect(fresh).toMatchObject({ kind: "answer", recorded: { stored: true } });
    expect(reads).toBe(0);
    await counted({ text: "那歇业呢？" }, { ...context, conversationKey: "api:new" });
    expect(reads).toBe(1);
  });

  it("answers 帮助 and an empty message with help, a bare 你好 with the greeting, and a question that greets with an answer", async () => {
    const { dispatch, asked } = dispatcher();
    expect(await dispatch({ text: "帮助" }, context)).toEqual({ kind: "reply", text: helpText(EXAMPLES), reason: "help" });
    expect(await dispatch({ text: "  " }, context)).toMatchObject({ reason: "help" });
    expect(await dispatch({ text: "你好！" }, context)).toEqual({ kind: "reply", text: greetingText(EXAMPLES), reason: "greeting" });
    expect(greetingText(EXAMPLES)).toContain(EXAMPLES[0]);
    expect(await dispatch({ text: "你好，检测费能减免吗？" }, context)).toMatchObject({ kind: "answer" });
    expect(asked.map((a) => a.question)).toEqual(["你好，检测费能减免吗？"]);
  });

  it("forgets the conversation on 重新开始", async () => {
    const { dispatch, asked } = dispatcher();
    await dispatch({ text: "检测费能减免吗？" }, context);
    expect(await dispatch({ text: "重新开始" }, context)).toMatchObject({ text: RESET_TEXT, reason: "reset" });
    await dispatch({ text: "那歇业呢？" }, context);
    expect(asked[1].history).toEqual([]);
  });

  it("hints on what is not text, without asking", async () => {
    const { dispatch, asked } = dispatcher();
    expect(await dispatch({}, context)).toMatchObject({ text: NON_TEXT_HINT });
    expect(asked).toEqual([]);
  });

  it("over the limit, says so once and then stays silent, per asker", async () => {
    const { dispatch, asked } = dispatcher({ limiter: localRateLimiter(2) });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await dispatch({ text: `问题${i}` }, context));
    expect(results.map((r) => r.kind)).toEqual(["answer", "answer", "reply", "silent"]);
    expect(results[2]).toMatchObject({ text: RATE_LIMITED_TEXT });
    expect(await dispatch({ text: "别人的问题" }, { ...context, userId: "u2" })).toMatchObject({ kind: "answer" });
    expect(asked).toHaveLength(3);
  });

  it("passes on no token the writer emits once it has failed", async () => {
    let late: ((token: string) => void) | undefined;
    const ask: Ask = async (_question, _history, options) => {
      options?.onToken?.("可以减免");
      late = options?.onToken;
      throw new Error("writer broke");
    };
    const { dispatch } = dispatcher({ ask });
    const tokens: string[] = [];
    expect(await dispatch({ text: "问" }, { ...context, onToken: (token) => tokens.push(token) })).toMatchObject({ kind: "failed" });
    late?.("。但仅限小");
    expect(tokens).toEqual(["可以减免"]);
  });

  it("apologises when asking fails: an AppError's own message, otherwise the hotline", async () => {
    const failing =
      (error: Error): Ask =>
      async () => {
        throw error;
      };
    const own = dispatcher({ ask: failing(new AppError("QUESTION_EMPTY", "empty", { userMessage: "请输入您的问题。" })) });
    expect(await own.dispatch({ text: "问" }, context)).toMatchObject({ kind: "failed", text: "请输入您的问题。" });
    const other = dispatcher({ ask: failing(new Error("boom")) });
    expect(await other.dispatch({ text: "问" }, context)).toMatchObject({ kind: "failed", text: APOLOGY });
  });

  it("runs intercepts in order after the commands, with the conversation looked up, before ask", async () => {
    const seen: string[] = [];
    const handOff: Intercept = (message, { conversationId, channel, replyAddress }) => {
      seen.push(`${channel} ${conversationId} ${replyAddress}`);
      return message.text === "转人工" ? { kind: "reply", text: "已为您转接人工。", reason: "handed-off" } : undefined;
    };
    const never: Intercept = () => {
      throw new Error("an earlier intercept took the message");
    };
    const { dispatch, asked } = dispatcher({ intercepts: [handOff, never] });
    expect(await dispatch({ text: "转人工" }, { ...context, replyAddress: "room-1" })).toMatchObject({ reason: "handed-off" });
    expect(await dispatch({ text: "帮助" }, context)).toMatchObject({ reason: "help" });
    expect(seen).toEqual(["wechaty wechaty:u1 room-1"]);
    expect(asked).toEqual([]);
  });

  it("stores nothing when told not to record", async () => {
    const { dispatch, store } = dispatcher();
    const result = await dispatch({ text: "问" }, { ...context, record: false });
    expect(result.kind).toBe("answer");
    expect(result).not.toHaveProperty("recorded");
    expect(await store.history("wechaty:u1")).toEqual([]);
  });
});
