import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, temporaryDirectory } from "../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../test/services.js";
import type { PublishedSnapshot } from "../corpus/published-corpus.js";
import { auditMigrations } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import { openStore } from "../store/kysely-store.js";
import type { Measure, PolicyDocument } from "../types.js";
import type { DocumentsDatabase } from "./document-types.js";
import { createDocumentsService, type DocumentsService } from "./documents-service.js";
import { type DocumentState, type DocumentsTable, documentsMigrations } from "./documents-table.js";

const MIGRATIONS = { ...auditMigrations, ...documentsMigrations };

/** A record of family `doc-a` as the parser would have left it: one document, one measure naming its version. */
function record(id: string, version: number, state: DocumentState): DocumentsTable {
  const document = { id: `${id}-1`, title: "首贷贴息管理办法", shortTitle: "首贷贴息管理办法", format: "compilation" } as PolicyDocument;
  const measure = { id: `${id}-1-m1`, documentId: document.id, text: `第${version}版：贴息最高8万元`, path: ["第一条"] } as unknown as Measure;
  return {
    id,
    family_id: "doc-a",
    version,
    state,
    file_name: `v${version}.pdf`,
    stored_file: `${id}/v${version}.pdf`,
    format: "pdf",
    sha256: id,
    page_count: 1,
    ocr: 0,
    parsed: JSON.stringify({ documents: [document], measures: [measure] }),
    corrections: "{}",
    retired: null,
    warnings: "[]",
    created_at: `2026-01-0${version}T00:00:00.000Z`,
    created_by: "alice",
    published_at: state === "preview" ? null : "2026-01-01T00:00:00.000Z",
    claimed_by: null,
    claimed_at: null,
    pages_read: 1,
    read_error: null,
    layout: null,
  };
}

/** A service whose publish records each snapshot instead of building an index: what answers would come from. */
function serviceOn(db: DocumentsDatabase) {
  const snapshots: PublishedSnapshot[] = [];
  const documents: DocumentsService = createDocumentsService({
    db,
    documentsDir: temporaryDirectory(),
    logger: silentLogger,
    background: false,
    publish: async (snapshot) => {
      snapshots.push(snapshot);
      return undefined as never;
    },
  });
  return { documents, snapshots };
}

const states = async (db: DocumentsDatabase) =>
  Object.fromEntries((await db.selectFrom("policy_documents").select(["id", "state"]).orderBy("id").execute()).map((r) => [r.id, r.state]));

function publishingRules(connect: () => Promise<{ db: DocumentsDatabase; close(): Promise<void> }>) {
  it("publishing an archived version is refused and the live version stays live", async () => {
    const { db, close } = await connect();
    try {
      // Version 2 archived and version 1 live (as a republish before versions were ordered could leave them): no newer version to refuse it by.
      await db
        .insertInto("policy_documents")
        .values([record("doc-a", 2, "archived"), record("doc-b", 1, "published")])
        .execute();
      const { documents, snapshots } = serviceOn(db);
      await expect(documents.publish("doc-a", "bob")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT", message: expect.stringMatching(/old version/) });
      expect(await states(db)).toEqual({ "doc-a": "archived", "doc-b": "published" });
      // Nothing was republished: answers still come from version 2.
      expect(snapshots).toEqual([]);
    } finally {
      await close();
    }
  });

  it("publishing an older preview over a newer published version is refused", async () => {
    const { db, close } = await connect();
    try {
      await db
        .insertInto("policy_documents")
        .values([record("doc-a", 1, "preview"), record("doc-b", 2, "published")])
        .execute();
      const { documents } = serviceOn(db);
      await expect(documents.publish("doc-a", "bob")).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT", message: expect.stringMatching(/version 2/) });
      expect(await states(db)).toEqual({ "doc-a": "preview", "doc-b": "published" });
    } finally {
      await close();
    }
  });

  it("two instances publishing two versions at once leave one published, the newer", async () => {
    const [first, second] = [await connect(), await connect()];
    try {
      await first.db
        .insertInto("policy_documents")
        .values([record("doc-a", 1, "published"), record("doc-b", 2, "preview"), record("doc-c", 3, "preview")])
        .execute();
      const [a, b] = [serviceOn(first.db), serviceOn(second.db)];
      const outcomes = await Promise.allSettled([a.documents.publish("doc-c", "bob"), b.documents.publish("doc-b", "carol")]);
      const after = await states(first.db);
      expect(Object.values(after).filter((state) => state === "published")).toHaveLength(1);
      expect(after["doc-c"]).toBe("published");
      // Version 2 either went first and was replaced, or came second and was refused as older.
      const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.code);
      expect(refused.every((code) => code === "DOCUMENT_CONFLICT")).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("the unique index refuses a second published version even from a writer that skips the lock", async () => {
    const { db, close } = await connect();
    try {
      await db
        .insertInto("policy_documents")
        .values(record("doc-a", 1, "published"))
        .execute();
      await expect(
        db
          .insertInto("policy_documents")
          .values(record("doc-b", 2, "published"))
          .execute(),
      ).rejects.toThrow();
    } finally {
      await close();
    }
  });
}

// One connection, as one instance runs on SQLite (better-sqlite3 blocks its thread on a lock, so two in one process cannot wait for each other).
describe("one published version per document (SQLite, two services on one connection)", () => {
  let db: DocumentsDatabase;
  beforeAll(async () => {
    db = (await openStaffDatabase(new Database(`${temporaryDirectory()}/relief.sqlite`), MIGRATIONS)) as DocumentsDatabase;
  });
  afterAll(() => db?.destroy());
  publishingRules(async () => {
    await db.deleteFrom("policy_documents").execute();
    return { db, close: async () => undefined };
  });
});

const missing = missingServices();
describe.skipIf(!!missing)("one published version per document (PostgreSQL, two pools)", () => {
  let server: PostgresServer;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase("publish");
  }, 60_000);
  afterAll(() => server?.destroy());
  publishingRules(async () => {
    const store = await openStore({ dialect: "postgres", url, poolMax: 3 });
    const db = (await openStaffDatabase(store.db, MIGRATIONS)) as DocumentsDatabase;
    await db.deleteFrom("policy_documents").execute();
    return { db, close: () => store.close() };
  });
});
