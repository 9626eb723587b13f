import { fakeAnswer } from "../../../../test/fake-answer.js";
import type { Ask } from "../../../core/ask.js";
import { QuestionLibrary } from "../../../library/question-library.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { openSqliteStore, type Store } from "../../../store/sqlite-store.js";
import { createHttpApp, type HttpAppOptions } from "../app.js";

/** Enough of a knowledge base for routes that only report on it. */
export const fakeKnowledgeBase = {
  index: { keywordIndex: { size: 1 }, manifest: { version: "test" } },
  corpus: { measures: [], documents: [] },
  measuresById: new Map(),
} as unknown as KnowledgeBase;

export { fakeAnswer };

/** A client address as @hono/node-server's getConnInfo reads it, for `app.request(path, init, env)`. */
export const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

export interface TestApp {
  app: ReturnType<typeof createHttpApp>;
  store: Store;
  asked: string[];
}

/** The real app over an in-memory store and a fake `ask` that records questions. */
export function testApp(options: Partial<HttpAppOptions> & { answer?: Ask } = {}): TestApp {
  const store = options.store ?? openSqliteStore(":memory:");
  const asked: string[] = [];
  const ask: Ask =
    options.answer ??
    (async (question) => {
      asked.push(question);
      return fakeAnswer({ resolvedQuestion: question });
    });
  const app = createHttpApp({
    ask,
    knowledgeBase: fakeKnowledgeBase,
    store,
    today: () => "2026-11-27",
    consoleHtml: '<!doctype html><title>惠企政策问答</title><script nonce="{{NONCE}}"></script>',
    exampleQuestions: () => ["示例一？", "示例二？"],
    rateLimitPerMinute: 1000,
    ...options,
  });
  return { app, store, asked };
}

/** The same app with an empty question library, as `npm start` wires it: the staff list of unanswered questions is one of its routes. */
export async function testAppWithLibrary(options: Partial<HttpAppOptions> & { answer?: Ask } = {}): Promise<TestApp & { library: QuestionLibrary }> {
  const store = options.store ?? openSqliteStore(":memory:");
  await store.ready;
  const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  return { ...testApp({ ...options, store, library: { library, knowledgeBase: () => fakeKnowledgeBase, pageHtml: "" } }), library };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** The events of a server-sent stream, in order. */
export function parseEvents(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({
      event: block.match(/^event: (.*)$/m)?.[1] ?? "message",
      data: JSON.parse(block.match(/^data: (.*)$/m)?.[1] ?? "null"),
    }));
}
