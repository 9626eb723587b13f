import { describe, expect, it } from "vitest";
import type { Ask } from "../../../core/ask.js";
import { AppError } from "../../../errors.js";
import { normalizeQuestion } from "../../../search/normalize.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { fakeAnswer, json, parseEvents, testApp } from "../__fixtures__/test-app.js";

describe("POST /api/ask", () => {
  it("returns the structured answer beside the text, with an answerId to rate", async () => {
    const answer: Ask = async () =>
      fakeAnswer({ confidence: "low", notices: [{ kind: "hedge", text: "没有完全对应的条款" }], suggestions: ["换个问法？"], refusal: undefined });
    const { app } = testApp({ answer });
    const body = await (await app.request("/api/ask", json({ question: "问" }))).json();
    expect(body).toMatchObject({
      stored: true,
      answer: expect.stringContaining("依据"),
      body: "可以减免[1]。",
      notices: [{ kind: "hedge", text: "没有完全对应的条款" }],
      confidence: "low",
      refusalReason: null,
      suggestions: ["换个问法？"],
    });
    expect(body.answerId).toMatch(/[0-9a-f-]{36}/);
  });

  it("says when the answer could not be stored, gives no answerId, and /readyz reports degraded", async () => {
    // The SQLite file goes away under the store, as a full disk would fail its writes.
    const store = openSqliteStore(":memory:");
    const failing = {
      ...store,
      async recordTurn(input: Parameters<typeof store.recordTurn>[0]) {
        await store.close();
        return store.recordTurn(input);
      },
    };
    const { app } = testApp({ store: failing });
    const body = await (await app.request("/api/ask", json({ question: "问" }))).json();
    expect(body.stored).toBe(false);
    expect(body).not.toHaveProperty("answerId");
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, status: "degraded", store: { writeFailures: 1, degraded: true } });
  });

  it("a question of only zero-width characters is a 400 naming the field, never reaching ask()", async () => {
    // As the real ask() does: the question normalised to nothing is an error.
    const answer: Ask = async (question) => {
      if (!normalizeQuestion(question)) throw new AppError("QUESTION_EMPTY", "The question is empty.", { userMessage: "请输入您的问题。" });
      return fakeAnswer({});
    };
    const { app } = testApp({ answer });
    const invisible = "\u200b\u200c\u200d\u2060\ufeff";
    const response = await app.request("/api/ask", json({ question: invisible }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: "question" });
    expect((await app.request(`/api/ask/stream?question=${encodeURIComponent(invisible)}`)).status).toBe(400);
  });

  it("rejects an empty conversationId and cross-site form posts", async () => {
    const { app, asked } = testApp();
    const empty = await app.request("/api/ask", json({ question: "问", conversationId: "" }));
    expect(empty.status).toBe(400);
    expect((await empty.json()).field).toBe("conversationId");
    const form = await app.request("/api/ask", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ question: "问" }) });
    expect(form.status).toBe(415);
    expect(asked).toEqual([]);
  });
});

describe("POST /api/ask conversations", () => {
  it("refuses an id of spaces or one that names another channel's conversation, in Chinese, before asking", async () => {
    const { app, asked } = testApp();
    for (const conversationId of ["   ", "slack:C1:1700000000.000100", "a b"]) {
      const response = await app.request("/api/ask", json({ question: "问", conversationId }));
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.field).toBe("conversationId");
      expect(body.error).toMatch(/会话编号/);
    }
    expect(asked).toEqual([]);
  });

  it("keeps a caller's conversation under its channel: a Slack thread's history is out of reach", async () => {
    const history: string[][] = [];
    const answer: Ask = async (question, turns = []) => {
      history.push(turns.map((t) => t.question));
      return fakeAnswer({ resolvedQuestion: question });
    };
    const { app, store } = testApp({ answer });
    await store.recordTurn({ conversationId: "slack:C1:1700000000.000100", channel: "slack", question: "Slack 里的问题", answer: fakeAnswer() });
    const first = await (await app.request("/api/ask", json({ question: "第一问", conversationId: "C1" }))).json();
    expect(first.conversationId).toBe("C1");
    await app.request("/api/ask", json({ question: "第二问", conversationId: "C1" }));
    expect(history).toEqual([[], ["第一问"]]);
    expect((await store.history("slack:C1:1700000000.000100")).map((t) => t.question)).toEqual(["Slack 里的问题"]);
  });

  it("answers 帮助 with the examples, without asking", async () => {
    const { app, asked } = testApp();
    const body = await (await app.request("/api/ask", json({ question: "帮助" }))).json();
    expect(body.answer).toContain("示例一？");
    expect(asked).toEqual([]);
  });

  it("cancels the model call when the caller hangs up", async () => {
    let seen: AbortSignal | undefined;
    const answer: Ask = async (_question, _history, options) => {
      seen = options?.signal;
      await new Promise((resolve) => options?.signal?.addEventListener("abort", resolve));
      return fakeAnswer();
    };
    const { app } = testApp({ answer });
    const hangUp = new AbortController();
    const response = app.request("/api/ask", { ...json({ question: "问" }), signal: hangUp.signal });
    while (!seen) await new Promise((resolve) => setImmediate(resolve));
    hangUp.abort();
    await Promise.resolve(response).catch(() => undefined);
    expect(seen.aborted).toBe(true);
  });
});

describe("/api/ask/stream", () => {
  it("cancels the answer's model call when the asker closes the stream", async () => {
    let seen: AbortSignal | undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const answer: Ask = (_question, _history, options) => {
      seen = options?.signal;
      started();
      // A model call that only ends when it is cancelled.
      return new Promise((_, reject) => options?.signal?.addEventListener("abort", () => reject(new Error("cancelled"))));
    };
    const { app } = testApp({ answer });
    const asker = new AbortController();
    const response = await app.request("/api/ask/stream", { ...json({ question: "问" }), signal: asker.signal });
    const reader = response.body!.getReader();
    const reading = reader.read().catch(() => undefined);
    await running;
    expect(seen?.aborted).toBe(false);
    asker.abort();
    await reader.cancel().catch(() => undefined);
    await reading;
    await new Promise<void>((resolve) => (seen!.aborted ? resolve() : seen!.addEventListener("abort", () => resolve())));
    expect(seen!.aborted).toBe(true);
  });

  it("sends verified tokens, then the answer last; a token the writer emits after it is dropped", async () => {
    let late: ((token: string) => void) | undefined;
    const answer: Ask = async (_question, _history, options) => {
      options?.onToken?.("可以减免");
      options?.onToken?.("[1]。");
      late = options?.onToken;
      return fakeAnswer({ draftRejected: true });
    };
    const { app } = testApp({ answer });
    const response = await app.request("/api/ask/stream", json({ question: "问" }));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    late?.("迟到的草稿");
    const events = parseEvents(await response.text());
    expect(events.map((e) => e.event)).toEqual(["token", "token", "answer"]);
    expect(events[2].data).toMatchObject({ draftRejected: true, stored: true });
  });

  it("after an error sends one error event and nothing more from the draft", async () => {
    let late: ((token: string) => void) | undefined;
    const answer: Ask = async (_question, _history, options) => {
      options?.onToken?.("可以减免");
      late = options?.onToken;
      throw new Error("writer broke");
    };
    const { app } = testApp({ answer });
    const response = await app.request("/api/ask/stream", json({ question: "问" }));
    late?.("。但仅限小");
    const events = parseEvents(await response.text());
    expect(events.map((e) => e.event)).toEqual(["token", "error"]);
    expect(JSON.stringify(events[1].data)).not.toContain("writer broke");
  });

  it("answers GET from the query string and stores nothing", async () => {
    const { app, store, asked } = testApp();
    const response = await app.request(`/api/ask/stream?question=${encodeURIComponent("刻章要多久？")}`);
    const events = parseEvents(await response.text());
    expect(asked).toEqual(["刻章要多久？"]);
    expect(events.at(-1)).toMatchObject({ event: "answer", data: { stored: false } });
    expect(events.at(-1)?.data).not.toHaveProperty("answerId");
    expect(await store.topQuestions(10)).toEqual([]);
    expect((await app.request("/api/ask/stream")).status).toBe(400);
  });
});
