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
    store.recordTurn({ conversationId: first.conversationId, channel: "web", question: "问二", answer: answer("答二") });
    store.close();
    const reopened = openSqliteStore(path);
    expect(reopened.history(first.conversationId).map((t) => t.question)).toEqual(["问一", "问二"]);
    reopened.close();
  });

  it("logs a failed write and still hands back ids, so the answer is returned", () => {
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as never;
    const store = openSqliteStore(":memory:", logger);
    store.close();
    const recorded = store.recordTurn({ channel: "api", question: "问", answer: answer("答") });
    expect(recorded.answerId).toMatch(/[0-9a-f-]{36}/);
    expect(errors).toHaveLength(1);
  });
});
