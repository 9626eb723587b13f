import { type Kysely, sql } from "kysely";
import type { StaffMigrations } from "../store/database.js";

/**
 * Where an upload is in its life: read in the background when it needs OCR
 * (`reading`, or `failed` with the reason), checked in preview, live once
 * published, kept as history once a newer version is published.
 */
export type DocumentState = "reading" | "failed" | "preview" | "published" | "archived";

/** One uploaded file and what was read from it; its documents and measures are `parsed` (JSON). */
export interface DocumentsTable {
  id: string;
  /** The same document across versions (same 文号 or title): the first version's id. */
  family_id: string;
  version: number;
  state: DocumentState;
  file_name: string;
  /** The original file, relative to DOCUMENTS_DIR. */
  stored_file: string;
  format: string;
  sha256: string;
  page_count: number;
  ocr: number;
  /** JSON: { documents, measures } as the parser read them. */
  parsed: string;
  /** JSON: the fields staff corrected (title, docNumber, issuer, date, region). */
  corrections: string;
  /** JSON Retirement, when repealed or superseded. */
  retired: string | null;
  /** JSON string[]. */
  warnings: string;
  created_at: string;
  created_by: string;
  published_at: string | null;
  /** While reading: the instance reading it (null: waiting for one), and when it last said it was (a claim older than the timeout is taken over). */
  claimed_by: string | null;
  claimed_at: string | null;
  /** Pages OCR has read so far (of `page_count`), while reading. */
  pages_read: number;
  /** Why reading failed, for staff (state `failed`). */
  read_error: string | null;
  /** JSON SourceLayout: where each clause is on the original's pages (a PDF's or OFD's text layer); null for other files and older uploads. */
  layout: string | null;
}

export interface DocumentsSchema {
  policy_documents: DocumentsTable;
}

export const documentsMigrations: StaffMigrations = {
  "documents-001-create": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("policy_documents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("family_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("file_name", "text", (c) => c.notNull())
        .addColumn("stored_file", "text", (c) => c.notNull())
        .addColumn("format", "text", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("page_count", "integer", (c) => c.notNull())
        .addColumn("ocr", "integer", (c) => c.notNull())
        .addColumn("parsed", "text", (c) => c.notNull())
        .addColumn("corrections", "text", (c) => c.notNull())
        .addColumn("retired", "text")
        .addColumn("warnings", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("published_at", "text")
        .execute();
      await db.schema.createIndex("policy_documents_family").on("policy_documents").columns(["family_id", "version"]).execute();
    },
  },
  // Uploads that need OCR are read in the background, claimed by one instance at a time.
  "documents-002-background-reading": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("policy_documents").addColumn("claimed_by", "text").execute();
      await db.schema.alterTable("policy_documents").addColumn("claimed_at", "text").execute();
      await db.schema
        .alterTable("policy_documents")
        .addColumn("pages_read", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("policy_documents").addColumn("read_error", "text").execute();
      await db.schema.createIndex("policy_documents_state").on("policy_documents").columns(["state", "created_at"]).execute();
    },
  },
  // One published version per family. Two instances publishing at once could leave two: the newest stays, the others are archived.
  "store-006-one-published": {
    async up(db: Kysely<unknown>) {
      const documents = db as Kysely<DocumentsSchema>;
      const published = await documents.selectFrom("policy_documents").select(["id", "family_id", "version"]).where("state", "=", "published").execute();
      const newest = new Map<string, { id: string; version: number }>();
      for (const row of published) if ((newest.get(row.family_id)?.version ?? -1) < row.version) newest.set(row.family_id, row);
      const stale = published.filter((row) => newest.get(row.family_id)?.id !== row.id).map((row) => row.id);
      if (stale.length) await documents.updateTable("policy_documents").set({ state: "archived" }).where("id", "in", stale).execute();
      await db.schema
        .createIndex("policy_documents_one_published")
        .on("policy_documents")
        .column("family_id")
        .unique()
        .where(sql.ref("state"), "=", "published")
        .execute();
    },
  },
  // Where clauses are on the original's pages, kept apart from `parsed` so lists and publishes never read it; older rows have none.
  "documents-003-layout": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("policy_documents").addColumn("layout", "text").execute();
    },
  },
};
