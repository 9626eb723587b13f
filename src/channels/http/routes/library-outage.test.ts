import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../../../test/services.js";
import { createAsk } from "../../../core/ask.js";
import { QuestionLibrary } from "../../../library/question-library.js";
import { openStore } from "../../../store/kysely-store.js";
import type { Store } from "../../../store/store.js";
import { createHttpApp } from "../app.js";

const missing = missingServices();

describe.skipIf(!!missing)("the question library during a PostgreSQL outage (a real server, stopped)", () => {
  let server: PostgresServer;
  let store: Store;
  let app: ReturnType<typeof createHttpApp>;
  let measureId: string;
  beforeAll(async () => {
    server = await startPostgres();
    store = await openStore({ dialect: "postgres", url: await server.createDatabase("outage") });
    const knowledgeBase = await seedKnowledgeBase();
    measureId = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!.id;
    const library = await QuestionLibrary.open({ db: store.db, pollMs: 600_000 });
    app = createHttpApp({
      ask: createAsk({ knowledgeBase, today: () => TODAY, library }),
      knowledgeBase,
      store,
      today: () => TODAY,
      consoleHtml: "<!doctype html>",
      exampleQuestions: () => [],
      rateLimitPerMinute: 10_000,
      library: { library, knowledgeBase: () => knowledgeBase, pageHtml: "<!doctype html>" },
    });
  }, 60_000);
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    server?.destroy();
  });

  const post = (path: string, body: string, contentType: string) =>
    app.request(path, { method: "POST", headers: { "content-type": contentType }, body }, { incoming: { socket: { remoteAddress: "127.0.0.1" } } });

  it("create and import answer 503 with Retry-After, in Chinese, not 500; once it is back they succeed", async () => {
    await server.stop();
    const created = await post("/api/library", JSON.stringify({ question: "饭店老被查怎么办？", measureIds: [measureId] }), "application/json");
    expect(created.status).toBe(503);
    expect(created.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await created.json()).error).toBe("数据库暂时无法访问，请稍后再试。");
    const imported = await post("/api/library/import", `question,measureIds\n检查太多怎么办,${measureId}\n`, "text/csv");
    expect(imported.status).toBe(503);
    await server.start();
    expect((await post("/api/library", JSON.stringify({ question: "饭店老被查怎么办？", measureIds: [measureId] }), "application/json")).status).toBe(201);
  }, 60_000);
});
