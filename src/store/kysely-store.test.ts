import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "../../test/helpers.js";
import type { Answer } from "../types.js";
import { openSqliteStore } from "./sqlite-store.js";

const answer = (text: string, refused = false): Answer => ({
  text,
  body: text,
  notices: [],
  refused,
  ...(refused ? { refusal: { reason: "no-match" as const } } : {}),
  confidence: refused ? "refuse" : "answer",
  citations: [],
  suggestions: [],
  mode: refused ? "refusal" : "extractive",
  resolvedQuestion: text,
});

describe("SQLite store", () => {
  it("keeps a conversation's turns in order and survives a reopen (migrations run once)", () => {
    const path = `${temporaryDirectory()}/store.sqlite`;
    const store = openSqliteStore(path);
    const first = store.recordTurn({ channel: "web", question: "问一", answer: answer("答一") });
    expect(first.stored).toBe(true);
    store.recordTurn({ conversationId: first.conversationId, channel: "web", question: "问二", answer: answer("答二") });
    store.close();
    const reopened = openSqliteStore(path);
    expect(reopened.history(first.conversationId).map((t) => t.question)).toEqual(["问一", "问二"]);
    reopened.close();
  });

  it("says a failed write was not stored, logs it, counts it and reports itself degraded until a write succeeds", () => {
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as never;
    const store = openSqliteStore(":memory:", logger);
    expect(store.health()).toMatchObject({ writeFailures: 0, degraded: false });
    store.close();
    const recorded = store.recordTurn({ channel: "api", question: "问", answer: answer("答") });
    expect(recorded.stored).toBe(false);
    expect(errors).toHaveLength(1);
    expect(store.health()).toMatchObject({ writeFailures: 1, degraded: true });
  });

  it("names the path when the database cannot be opened", () => {
    const file = `${temporaryDirectory()}/not-a-folder`;
    writeFileSync(file, "");
    expect(() => openSqliteStore(`${file}/db.sqlite`)).toThrow(/not-a-folder\/db\.sqlite.*DATABASE_PATH/);
  });

  it("masks ID-card and phone numbers in stored questions and comments", () => {
    const store = openSqliteStore(":memory:");
    const question = "身份证65010219900307123X，电话13812345678，能退税吗";
    const { conversationId, answerId } = store.recordTurn({ channel: "web", question, answer: answer("答", true) });
    store.rate({ answerId, rating: "down", comment: "回电0991-2345678", client: "a" });
    expect(store.history(conversationId)[0].question).toBe("身份证[身份证号]，电话[手机号]，能退税吗");
    expect(store.unanswered()[0]).toMatchObject({ question: "身份证[身份证号]，电话[手机号]，能退税吗", comment: "回电[电话]" });
    store.close();
  });

  it("keeps one rating per answer per client; staff may replace it; a later rating up does not hide a rated-down answer", () => {
    const store = openSqliteStore(":memory:");
    const { answerId } = store.recordTurn({ channel: "web", question: "问", answer: answer("答") });
    expect(store.rate({ answerId, rating: "down", client: "10.0.0.1" })).toBe("stored");
    expect(store.rate({ answerId, rating: "down", client: "10.0.0.1" })).toBe("already-rated");
    expect(store.rate({ answerId, rating: "up", client: "10.0.0.2" })).toBe("stored");
    expect(store.unanswered().map((r) => r.answerId)).toEqual([answerId]);
    expect(store.rate({ answerId, rating: "up", client: "10.0.0.1", replace: true })).toBe("stored");
    expect(store.unanswered()).toEqual([]);
    expect(store.rate({ answerId: "missing", rating: "up", client: "x" })).toBe("unknown-answer");
    store.close();
  });

  it("deletes turns older than the cutoff with their feedback and emptied conversations", () => {
    let clock = "2026-01-01T00:00:00.000Z";
    const store = openSqliteStore(":memory:", undefined, () => clock);
    const old = store.recordTurn({ channel: "web", question: "旧", answer: answer("答") });
    store.rate({ answerId: old.answerId, rating: "down", client: "a" });
    clock = "2026-07-01T00:00:00.000Z";
    const recent = store.recordTurn({ channel: "web", question: "新", answer: answer("答") });
    expect(store.deleteTurnsBefore("2026-03-01T00:00:00.000Z")).toBe(1);
    expect(store.history(old.conversationId)).toEqual([]);
    expect(store.history(recent.conversationId).map((t) => t.question)).toEqual(["新"]);
    expect(store.unanswered()).toEqual([]);
    store.close();
  });
});
