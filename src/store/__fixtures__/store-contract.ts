import { expect, it } from "vitest";
import type { Answer } from "../../types.js";
import type { Store } from "../store.js";

export const answer = (text: string, refused = false): Answer => ({
  text,
  body: text,
  notices: [],
  outcome: refused ? "refused" : "answered",
  refused,
  ...(refused ? { refusal: { reason: "no-match" as const } } : {}),
  confidence: refused ? "refuse" : "answer",
  citations: [],
  suggestions: [],
  mode: refused ? "refusal" : "extractive",
  resolvedQuestion: text,
});

/** What every store must do, whatever the engine: `open` gives an empty store (its clock at `now`). */
export function storeContract(open: (now?: () => string) => Promise<Store>): void {
  it("keeps a conversation's turns in order, even within one millisecond", async () => {
    const store = await open(() => "2026-11-27T00:00:00.000Z");
    const first = await store.recordTurn({ channel: "web", question: "问一", answer: answer("答一") });
    expect(first.stored).toBe(true);
    await store.recordTurn({ conversationId: first.conversationId, channel: "web", question: "问二", answer: answer("答二") });
    await store.recordTurn({ conversationId: first.conversationId, channel: "web", question: "问三", answer: answer("答三") });
    expect((await store.history(first.conversationId)).map((t) => t.question)).toEqual(["问一", "问二", "问三"]);
    expect((await store.history(first.conversationId, 2)).map((t) => t.question)).toEqual(["问二", "问三"]);
    await store.close();
  });

  it("stores turns arriving at once, two of them in one conversation, each with its own outcome and in order", async () => {
    const store = await open(() => "2026-11-27T00:00:00.000Z");
    const shared = (await store.recordTurn({ channel: "web", question: "问零", answer: answer("答零") })).conversationId;
    const turns = await Promise.all([
      store.recordTurn({ conversationId: shared, channel: "web", question: "问一", answer: answer("答一") }),
      ...Array.from({ length: 40 }, (_, i) => store.recordTurn({ channel: "api", question: `别人${i}`, answer: answer("答") })),
      store.recordTurn({ conversationId: shared, channel: "web", question: "问二", answer: answer("答二") }),
    ]);
    expect(turns.every((t) => t.stored)).toBe(true);
    expect(new Set(turns.map((t) => t.answerId)).size).toBe(turns.length);
    expect((await store.history(shared)).map((t) => t.question)).toEqual(["问零", "问一", "问二"]);
    expect((await store.history(turns[5].conversationId)).map((t) => t.question)).toEqual(["别人4"]);
    await store.close();
  });

  it("masks ID-card and phone numbers in stored questions and comments", async () => {
    const store = await open();
    const question = "身份证65010219900307123X，电话13812345678，能退税吗";
    const { conversationId, answerId } = await store.recordTurn({ channel: "web", question, answer: answer("答", true) });
    await store.rate({ answerId, rating: "down", comment: "回电0991-2345678", client: "a" });
    expect((await store.history(conversationId))[0].question).toBe("身份证[身份证号]，电话[手机号]，能退税吗");
    expect((await store.unanswered())[0]).toMatchObject({ question: "身份证[身份证号]，电话[手机号]，能退税吗", comment: "回电[电话]", refused: true });
    await store.close();
  });

  it("keeps one rating per answer per client; staff may replace it; a later rating up does not hide a rated-down answer", async () => {
    const store = await open();
    const { answerId } = await store.recordTurn({ channel: "web", question: "问", answer: answer("答") });
    expect(await store.rate({ answerId, rating: "down", client: "10.0.0.1" })).toBe("stored");
    expect(await store.rate({ answerId, rating: "down", client: "10.0.0.1" })).toBe("already-rated");
    expect(await store.rate({ answerId, rating: "up", client: "10.0.0.2" })).toBe("stored");
    expect((await store.unanswered()).map((r) => r.answerId)).toEqual([answerId]);
    expect(await store.rate({ answerId, rating: "up", client: "10.0.0.1", replace: true })).toBe("stored");
    expect(await store.unanswered()).toEqual([]);
    expect(await store.rate({ answerId: "missing", rating: "up", client: "x" })).toBe("unknown-answer");
    expect(await store.addFeedback({ answerId, rating: "up" })).toBe(true);
    await store.close();
  });

  it("deletes turns older than the cutoff with their feedback and emptied conversations", async () => {
    let clock = "2026-01-01T00:00:00.000Z";
    const store = await open(() => clock);
    const old = await store.recordTurn({ channel: "web", question: "旧", answer: answer("答") });
    await store.rate({ answerId: old.answerId, rating: "down", client: "a" });
    clock = "2026-07-01T00:00:00.000Z";
    const recent = await store.recordTurn({ channel: "web", question: "新", answer: answer("答") });
    expect(await store.deleteTurnsBefore("2026-03-01T00:00:00.000Z")).toBe(1);
    expect(await store.history(old.conversationId)).toEqual([]);
    expect((await store.history(recent.conversationId)).map((t) => t.question)).toEqual(["新"]);
    expect(await store.unanswered()).toEqual([]);
    await store.close();
  });

  it("reports the database in its health", async () => {
    const store = await open();
    const health = await store.health();
    expect(health).toMatchObject({ writeFailures: 0, readFailures: 0, degraded: false, database: { dialect: store.dialect, reachable: true } });
    await store.close();
  });
}
