import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, silentLogger, TODAY, temporaryDirectory } from "../../../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../../../test/services.js";
import { createAsk } from "../../../core/ask.js";
import { createDocumentsService, type DocumentsService } from "../../../documents/documents-service.js";
import { type DocumentsSchema, documentsMigrations } from "../../../documents/documents-table.js";
import { makePdf } from "../../../ingest/__fixtures__/make-pdf.js";
import { REGULATION_TITLE, regulationPages } from "../../../ingest/__fixtures__/regulation.js";
import { QuestionLibrary } from "../../../library/question-library.js";
import { type AuditSchema, auditMigrations } from "../../../store/audit.js";
import { openStaffDatabase } from "../../../store/database.js";
import { openStore } from "../../../store/kysely-store.js";
import type { Store } from "../../../store/store.js";
import { createHttpApp } from "../app.js";

const missing = missingServices();

describe.skipIf(!!missing)("the question library and uploads during a PostgreSQL outage (a real server, stopped)", () => {
  let server: PostgresServer;
  let documents: DocumentsService;
  let store: Store;
  let app: ReturnType<typeof createHttpApp>;
  let measureId: string;
  beforeAll(async () => {
    server = await startPostgres();
    store = await openStore({ dialect: "postgres", url: await server.createDatabase("outage") });
    const knowledgeBase = await seedKnowledgeBase();
    measureId = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!.id;
    const library = await QuestionLibrary.open({ db: store.db, pollMs: 600_000 });
    const staffDb = await openStaffDatabase<DocumentsSchema & AuditSchema>(store.db, { ...auditMigrations, ...documentsMigrations });
    // The publish is never reached here: an upload only stores its preview.
    documents = createDocumentsService({ db: staffDb, documentsDir: temporaryDirectory(), logger: silentLogger, publish: async () => undefined as never });
    app = createHttpApp({
      ask: createAsk({ knowledgeBase, today: () => TODAY, library }),
      knowledgeBase,
      store,
      today: () => TODAY,
      consoleHtml: "<!doctype html>",
      exampleQuestions: () => [],
      rateLimitPerMinute: 10_000,
      library: { library, knowledgeBase: () => knowledgeBase, pageHtml: "<!doctype html>" },
      documents,
      documentsHtml: "<!doctype html>",
    });
  }, 60_000);
  afterAll(async () => {
    documents?.stop();
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

  it("an upload answers 503 with Retry-After, not 500, and the same file is accepted once the database is back", async () => {
    const pdf = new Uint8Array(await makePdf(regulationPages()));
    const upload = () => {
      const body = new FormData();
      body.append("file", new File([pdf], "首贷贴息办法.pdf", { type: "application/pdf" }));
      return app.request(
        "/api/documents",
        { method: "POST", body, headers: { "x-requested-with": "test" } },
        { incoming: { socket: { remoteAddress: "127.0.0.1" } } },
      );
    };
    await server.stop();
    const refused = await upload();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await refused.json()).error).toBe("数据库暂时无法访问，请稍后再试。");
    await server.start();
    const accepted = await upload();
    expect(accepted.status).toBe(201);
    expect((await accepted.json()).documents[0]).toMatchObject({ status: "preview", title: REGULATION_TITLE });
  }, 60_000);
});
