import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { IN_CI } from "../../test/ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../test/services.js";
import { createAsk } from "../core/ask.js";
import { makePdf } from "../ingest/__fixtures__/make-pdf.js";
import { canOcr, makeBlankScan, makeScannedPdf } from "../ingest/__fixtures__/make-scan.js";
import { REGULATION_TITLE, regulationPages } from "../ingest/__fixtures__/regulation.js";
import { IngestError } from "../ingest/errors.js";
import { type IngestInput, ingestDocument } from "../ingest/ingest.js";
import { ReadStoppedError } from "../ingest/ocr.js";
import { type KnowledgeBase, openKnowledgeBase } from "../search/open-knowledge-base.js";
import { auditMigrations, auditTrail } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import { openStore } from "../store/kysely-store.js";
import type { Store } from "../store/store.js";
import { createDocumentsService, type DocumentsDatabase, type DocumentsService, type DocumentsServiceOptions } from "./documents-service.js";
import { documentsMigrations } from "./documents-table.js";
import { createPublisher } from "./publisher.js";

const MIGRATIONS = { ...auditMigrations, ...documentsMigrations };
const ocr = await canOcr();
const compact = (text: string) => text.replace(/\s+/g, "");

const memoryDb = () => openStaffDatabase(new Database(":memory:"), MIGRATIONS) as Promise<DocumentsDatabase>;

/** A promise the test opens when it wants a read to finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Waits for the gate, or rejects as the real reader does when the read is stopped (deleted, or the instance stopping). */
function until(gate: { opened: Promise<void> }, signal?: AbortSignal): Promise<void> {
  return Promise.race([
    gate.opened,
    new Promise<never>((_, reject) => signal?.addEventListener("abort", () => reject(new ReadStoppedError("扫描件.pdf")), { once: true })),
  ]);
}

/** Reads the text PDF of the regulation whatever file it is given: a stand-in for OCR that the test controls. */
const regulationReader = async (input: IngestInput, pages = regulationPages()) => ingestDocument({ ...input, bytes: await makePdf(pages) });

let services: DocumentsService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
  services = [];
});

function open(db: DocumentsDatabase, documentsDir: string, options: Partial<DocumentsServiceOptions> = {}): DocumentsService {
  // tesseract reads these scans in a few seconds; PaddleOCR has tests of its own (src/ingest/paddle.test.ts).
  const service = createDocumentsService({
    db,
    documentsDir,
    logger: silentLogger,
    publish: async () => undefined as never,
    ocr: { engine: "tesseract" },
    ...options,
  });
  services.push(service);
  return service;
}

const stateOf = async (db: DocumentsDatabase, id: string) =>
  db.selectFrom("policy_documents").select(["state", "claimed_by", "claimed_at", "version", "family_id"]).where("id", "=", id).executeTakeFirstOrThrow();

describe.skipIf(!ocr && !IN_CI)("background reading through tesseract", () => {
  it("a scan is kept and answered at once as reading; the reader reads it in the background; published, it answers", async () => {
    const indexDir = join(temporaryDirectory(), "index");
    const documentsDir = join(temporaryDirectory(), "documents");
    let live: KnowledgeBase = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
    const target = {
      get knowledgeBase() {
        return live;
      },
      swapKnowledgeBase(next: KnowledgeBase) {
        live = next;
      },
    };
    const db = await memoryDb();
    const documents = open(db, documentsDir, { publish: createPublisher({ target, indexDir, documentsDir, logger: silentLogger }) });
    const ask = createAsk({ knowledgeBase: () => target.knowledgeBase, today: () => TODAY, logger: silentLogger });

    const scan = await makeScannedPdf(regulationPages()[0].slice(0, 8));
    const [upload] = await documents.upload([{ name: "首贷贴息办法（扫描件）.pdf", bytes: scan }], "alice");
    expect(upload).toMatchObject({
      status: "reading",
      title: "首贷贴息办法（扫描件）.pdf",
      reading: { pagesRead: 0, pagesTotal: 1, queued: true },
      measures: 0,
    });
    expect(existsSync(join(documentsDir, upload.id, "original.pdf"))).toBe(true);
    await expect(documents.publish(upload.id, "bob")).rejects.toMatchObject({
      code: "DOCUMENT_CONFLICT",
      message: expect.stringMatching(/still being read by OCR/),
    });

    await vi.waitFor(async () => expect((await documents.preview(upload.id)).status).toBe("preview"), { timeout: 30_000, interval: 100 });
    const preview = await documents.preview(upload.id);
    expect(compact(preview.title)).toBe(REGULATION_TITLE);
    expect(preview).toMatchObject({ ocr: true, pageCount: 1, version: 1 });
    expect(preview.reading).toBeUndefined();
    expect(preview.warnings.join("\n")).toMatch(/：由 OCR 识别/);
    expect(preview.measureList.map((m) => m.marker)).toEqual(expect.arrayContaining(["第一条", "第二条", "第三条"]));
    expect((await auditTrail(db as never, upload.id)).map((e) => [e.actor, e.action])).toEqual([
      ["system", "document.read"],
      ["alice", "document.upload"],
    ]);

    await documents.publish(upload.id, "bob");
    const answer = await ask("首贷贴息按什么比例给予贴息？");
    expect(answer.citations.map((c) => compact(c.document))).toContain(REGULATION_TITLE);
  }, 60_000);

  it("a scan OCR finds no text in fails with the reason; the original is kept", async () => {
    const documentsDir = temporaryDirectory();
    const db = await memoryDb();
    const documents = open(db, documentsDir);
    const [upload] = await documents.upload([{ name: "空白扫描.pdf", bytes: await makeBlankScan() }], "alice");
    expect(upload.status).toBe("reading");
    await vi.waitFor(async () => expect((await documents.preview(upload.id)).status).toBe("failed"), { timeout: 30_000, interval: 100 });
    expect((await documents.list())[0]).toMatchObject({ status: "failed", error: "空白扫描.pdf：文件中没有读出文字" });
    expect(existsSync(join(documentsDir, upload.id, "original.pdf"))).toBe(true);
    expect((await auditTrail(db as never, upload.id))[0]).toMatchObject({ actor: "system", action: "document.read-failed" });
  }, 60_000);
});

describe("background reading: states, guards, retry, restarts", () => {
  it("while reading: progress in the list, family and version still its own; publish, correct, retire refused (409); a new version once read", async () => {
    const db = await memoryDb();
    const documentsDir = temporaryDirectory();
    const release = gate();
    const revised = regulationPages();
    revised[0] = revised[0].map((line) => line.replace("最高不超过8万元", "最高不超过10万元"));
    const documents = open(db, documentsDir, {
      read: async (input) => {
        input.onProgress?.(1, 3);
        await release.opened;
        return regulationReader(input, revised);
      },
    });
    const [first] = await documents.upload([{ name: "首贷贴息办法.pdf", bytes: await makePdf(regulationPages()) }], "alice");
    expect(first.status).toBe("preview");
    await documents.publish(first.id, "bob");

    const [scan] = await documents.upload([{ name: "修订（扫描件）.pdf", bytes: await makeBlankScan() }], "alice");
    expect(scan).toMatchObject({ status: "reading", version: 1, familyId: scan.id });
    await vi.waitFor(async () =>
      expect((await documents.list()).find((d) => d.id === scan.id)?.reading).toEqual({ pagesRead: 1, pagesTotal: 3, queued: false }),
    );
    const refused = /is still being read by OCR \(page 1 of 3\)/;
    await expect(documents.publish(scan.id, "bob")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT", message: expect.stringMatching(refused) });
    await expect(documents.correct(scan.id, { issuer: "x" }, "bob")).rejects.toMatchObject({
      code: "DOCUMENT_CONFLICT",
      message: expect.stringMatching(refused),
    });
    await expect(documents.retire(scan.id, { kind: "repealed", date: "2025-01-01" }, "bob")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT" });
    await expect(documents.reinstate(scan.id, "bob")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT" });
    await expect(documents.retire(first.id, { kind: "superseded", date: "2025-01-01", replacedBy: scan.id }, "bob")).rejects.toMatchObject({
      code: "DOCUMENT_CONFLICT",
    });
    expect(await documents.retry(scan.id, "bob").catch((e) => e.code)).toBe("DOCUMENT_CONFLICT");

    release.open();
    await vi.waitFor(async () => expect((await documents.preview(scan.id)).status).toBe("preview"), { timeout: 15_000 });
    const preview = await documents.preview(scan.id);
    expect(preview).toMatchObject({ version: 2, familyId: first.id, title: REGULATION_TITLE });
    expect(preview.diff).toMatchObject({ fromVersion: 1, toVersion: 2, changed: 1 });
    await documents.publish(scan.id, "bob");
    expect((await documents.preview(first.id)).status).toBe("archived");
  });

  it("a failed read shows failed with its reason, refuses publishing, and can be retried (audited)", async () => {
    const db = await memoryDb();
    let calls = 0;
    const documents = open(db, temporaryDirectory(), {
      read: async (input) => {
        if (++calls === 1) throw new IngestError("OCR_UNAVAILABLE", `${input.name} needs OCR, but tesseract has no chi_sim language data`);
        return regulationReader(input);
      },
    });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    await vi.waitFor(async () => expect((await documents.preview(scan.id)).status).toBe("failed"));
    expect((await documents.list())[0]).toMatchObject({ status: "failed", error: "扫描件.pdf needs OCR, but tesseract has no chi_sim language data" });
    await expect(documents.publish(scan.id, "bob")).rejects.toMatchObject({
      code: "DOCUMENT_CONFLICT",
      message: expect.stringMatching(/could not be read: 扫描件\.pdf needs OCR.*; retry reading it, or delete it/),
    });

    expect(await documents.retry(scan.id, "carol")).toMatchObject({ status: "reading" });
    await vi.waitFor(async () => expect((await documents.preview(scan.id)).status).toBe("preview"), { timeout: 15_000 });
    expect((await documents.preview(scan.id)).error).toBeUndefined();
    expect((await auditTrail(db as never, scan.id)).map((e) => [e.actor, e.action])).toEqual([
      ["system", "document.read"],
      ["carol", "document.retry"],
      ["system", "document.read-failed"],
      ["alice", "document.upload"],
    ]);
    expect(calls).toBe(2);
  });

  it("an image is read in the background too; uploads wait their turn (queued) and are read one at a time, oldest first", async () => {
    const db = await memoryDb();
    const release = gate();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const documents = open(db, temporaryDirectory(), {
      read: async (input) => {
        order.push(input.name);
        most = Math.max(most, ++running);
        await release.opened;
        running--;
        return regulationReader(input);
      },
    });
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==", "base64");
    const uploaded = await documents.upload(
      [
        { name: "第一页.png", bytes: png },
        { name: "第二份.pdf", bytes: await makeBlankScan() },
      ],
      "alice",
    );
    expect(uploaded.map((d) => [d.status, d.format])).toEqual([
      ["reading", "image"],
      ["reading", "pdf"],
    ]);
    await vi.waitFor(() => expect(order).toEqual(["第一页.png"]));
    const second = (await documents.list()).find((d) => d.fileName === "第二份.pdf");
    expect(second?.reading).toMatchObject({ queued: true });
    release.open();
    await vi.waitFor(async () => expect((await documents.list()).map((d) => d.status)).toEqual(["preview", "preview"]), { timeout: 15_000 });
    expect(order).toEqual(["第一页.png", "第二份.pdf"]);
    expect(most).toBe(1);
  });

  it("an upload deleted while it is read is not brought back by the reader", async () => {
    const db = await memoryDb();
    const release = gate();
    let reading = false;
    const documents = open(db, temporaryDirectory(), {
      read: async (input) => {
        reading = true;
        await until(release, input.signal);
        return regulationReader(input);
      },
    });
    const [scan] = await documents.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    await vi.waitFor(() => expect(reading).toBe(true));
    await documents.remove(scan.id, "bob");
    release.open();
    await documents.settled();
    expect(await documents.list()).toEqual([]);
    expect((await auditTrail(db as never, scan.id)).map((e) => e.action)).toEqual(["document.delete", "document.upload"]);
  });

  it("restart: a stopped instance gives its claim back and the next start reads the upload; the stopped read is not recorded", async () => {
    const db = await memoryDb();
    const documentsDir = temporaryDirectory();
    const stuck = gate();
    const first = open(db, documentsDir, {
      read: async (input) => {
        await until(stuck, input.signal);
        return regulationReader(input);
      },
    });
    const [scan] = await first.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    await vi.waitFor(async () => expect((await stateOf(db, scan.id)).claimed_by).toBe(first.instanceId));
    await first.stop();
    expect(await stateOf(db, scan.id)).toMatchObject({ state: "reading", claimed_by: null });

    const readers: string[] = [];
    const second = open(db, documentsDir, {
      read: async (input) => {
        readers.push(second.instanceId);
        return regulationReader(input);
      },
    });
    await vi.waitFor(async () => expect((await stateOf(db, scan.id)).state).toBe("preview"), { timeout: 15_000 });
    expect(readers).toEqual([second.instanceId]);
    // The first instance's read was stopped: it no longer holds the claim, so it records nothing.
    stuck.open();
    await first.settled();
    const reads = (await auditTrail(db as never, scan.id)).filter((e) => e.action === "document.read");
    expect(reads.map((e) => JSON.parse(e.detail ?? "{}").instance)).toEqual([second.instanceId]);
  });

  it("restart after a crash: a claim no longer renewed is taken over once it is older than the timeout, not before", async () => {
    const db = await memoryDb();
    const documentsDir = temporaryDirectory();
    const uploader = open(db, documentsDir, { background: false, read: regulationReader });
    const [scan] = await uploader.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    // What an instance killed while reading leaves behind.
    const claimedAt = Date.now();
    await db
      .updateTable("policy_documents")
      .set({ claimed_by: "dead-instance", claimed_at: new Date(claimedAt).toISOString() })
      .where("id", "=", scan.id)
      .execute();
    const timeout = 400;
    let readAt = 0;
    const next = open(db, documentsDir, {
      claimTimeoutMs: timeout,
      pollMs: 25,
      read: async (input) => {
        readAt = Date.now();
        return regulationReader(input);
      },
    });
    await vi.waitFor(async () => expect((await stateOf(db, scan.id)).state).toBe("preview"), { timeout: 5000 });
    expect(readAt - claimedAt).toBeGreaterThanOrEqual(timeout);
    const reads = (await auditTrail(db as never, scan.id)).filter((e) => e.action === "document.read");
    expect(reads.map((e) => JSON.parse(e.detail ?? "{}").instance)).toEqual([next.instanceId]);
  });

  it("a read that outlasts the claim timeout keeps its claim (renewed while reading): no other instance reads it", async () => {
    const db = await memoryDb();
    const documentsDir = temporaryDirectory();
    const release = gate();
    const reads: string[] = [];
    const reader = (name: () => string) => async (input: IngestInput) => {
      reads.push(name());
      await release.opened;
      return regulationReader(input);
    };
    const a: DocumentsService = open(db, documentsDir, { claimTimeoutMs: 1000, pollMs: 20, read: reader(() => a.instanceId) });
    const [scan] = await a.upload([{ name: "扫描件.pdf", bytes: await makeBlankScan() }], "alice");
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    const b: DocumentsService = open(db, documentsDir, { claimTimeoutMs: 1000, pollMs: 20, read: reader(() => b.instanceId) });
    // Wait until the claim has been renewed past the timeout several times over, each renewal seen in the database.
    const claimedAt = Date.parse((await stateOf(db, scan.id)).claimed_at ?? "");
    await vi.waitFor(async () => expect(Date.parse((await stateOf(db, scan.id)).claimed_at ?? "") - claimedAt).toBeGreaterThan(2500), { timeout: 10_000 });
    // B polled every 20 ms all along: had the claim lapsed, it would have read it by now.
    expect(reads).toEqual([a.instanceId]);
    release.open();
    await vi.waitFor(async () => expect((await stateOf(db, scan.id)).state).toBe("preview"), { timeout: 15_000 });
    expect(reads).toEqual([a.instanceId]);
  });
});

/** Two services on one database, started together over uploads waiting to be read: each upload is read once. */
function neverBothRead(connect: () => Promise<{ db: DocumentsDatabase; close(): Promise<void> }>) {
  return async () => {
    const documentsDir = temporaryDirectory();
    const handles = [await connect(), await connect(), await connect()];
    try {
      const uploader = open(handles[0].db, documentsDir, { background: false, read: regulationReader });
      const blank = await makeBlankScan();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(...(await uploader.upload([{ name: `扫描件${i}.pdf`, bytes: blank }], "alice")).map((d) => d.id));
      const reads: Array<[string, string]> = [];
      const make = (db: DocumentsDatabase) => {
        const service: DocumentsService = createDocumentsService({
          db,
          documentsDir,
          logger: silentLogger,
          publish: async () => undefined as never,
          background: false,
          pollMs: 20,
          read: async (input) => {
            reads.push([service.instanceId, input.sourceFile ?? ""]);
            await new Promise((resolve) => setTimeout(resolve, 15));
            return regulationReader(input);
          },
        });
        services.push(service);
        return service;
      };
      const [a, b] = [make(handles[1].db), make(handles[2].db)];
      a.start();
      b.start();
      await vi.waitFor(
        async () => {
          const states = await handles[0].db.selectFrom("policy_documents").select("state").execute();
          expect(states.map((s) => s.state)).toEqual(ids.map(() => "preview"));
        },
        { timeout: 10_000 },
      );
      // Both competed: each read some of them.
      expect(new Set(reads.map(([instance]) => instance)).size).toBe(2);
      const perUpload = ids.map((id) => reads.filter(([, file]) => file === `${id}.pdf`).length);
      expect(perUpload).toEqual(ids.map(() => 1));
      for (const id of ids) {
        const trail = await auditTrail(handles[0].db as never, id);
        expect(trail.filter((e) => e.action === "document.read")).toHaveLength(1);
      }
    } finally {
      await Promise.all(services.map((s) => s.stop().catch(() => undefined)));
      services = [];
      for (const handle of handles) await handle.close();
    }
  };
}

describe("two instances on one database never both read an upload", () => {
  it("SQLite file, two connections", () => {
    const file = join(temporaryDirectory(), "relief.sqlite");
    return neverBothRead(async () => {
      const connection = new Database(file);
      connection.pragma("journal_mode = WAL");
      connection.pragma("busy_timeout = 5000");
      const db = (await openStaffDatabase(connection, MIGRATIONS)) as DocumentsDatabase;
      return { db, close: () => (db as Kysely<unknown>).destroy() };
    })();
  });

  const missing = missingServices();
  describe.skipIf(!!missing)("PostgreSQL", () => {
    let server: PostgresServer;
    let url: string;
    beforeAll(async () => {
      server = await startPostgres();
      url = await server.createDatabase("documents");
    }, 60_000);
    afterAll(() => server?.destroy());
    it(
      "two pools on one server",
      neverBothRead(async () => {
        const store: Store = await openStore({ dialect: "postgres", url, poolMax: 3 });
        const db = (await openStaffDatabase(store.db, MIGRATIONS)) as DocumentsDatabase;
        return { db, close: () => store.close() };
      }),
      30_000,
    );
  });
});
