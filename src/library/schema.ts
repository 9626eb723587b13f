import type { Kysely } from "kysely";
import { type AuditSchema, auditMigrations } from "../store/audit.js";
import type { StaffMigrations } from "../store/database.js";

/** One taught question: linked measures, or a reviewed answer citing them, or a refusal. */
export interface LibraryEntryTable {
  id: string;
  question: string;
  /** questionKey(question): what near-duplicates are compared in; unique, so a question is taught once. */
  question_key: string;
  /** JSON array of measure ids, in citation order ([1], [2] …). */
  measure_ids: string;
  answer: string | null;
  refusal: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  hit_count: number;
  last_hit_at: string | null;
}

/** A question a model proposed for a measure; it answers nothing until a person accepts it. */
export interface LibrarySuggestionTable {
  id: string;
  measure_id: string;
  question: string;
  status: "pending" | "accepted" | "rejected";
  created_at: string;
  created_by: string;
  entry_id: string | null;
}

/** Bumped by every write, so another process sharing the file (npm run slack) knows to reload. */
export interface LibraryStateTable {
  id: number;
  revision: number;
}

export interface LibrarySchema extends AuditSchema {
  library_entries: LibraryEntryTable;
  library_suggestions: LibrarySuggestionTable;
  library_state: LibraryStateTable;
}

export const libraryMigrations: StaffMigrations = {
  ...auditMigrations,
  "library-001-create": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("library_entries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("question", "text", (c) => c.notNull())
        .addColumn("question_key", "text", (c) => c.notNull().unique())
        .addColumn("measure_ids", "text", (c) => c.notNull())
        .addColumn("answer", "text")
        .addColumn("refusal", "text")
        .addColumn("note", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("updated_by", "text", (c) => c.notNull())
        .addColumn("hit_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_hit_at", "text")
        .execute();
      await db.schema
        .createTable("library_suggestions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("measure_id", "text", (c) => c.notNull())
        .addColumn("question", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("entry_id", "text")
        .execute();
      await db.schema.createIndex("library_suggestions_status").on("library_suggestions").columns(["status", "created_at"]).execute();
      await db.schema
        .createTable("library_state")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("revision", "integer", (c) => c.notNull())
        .execute();
      await (db as Kysely<LibrarySchema>).insertInto("library_state").values({ id: 1, revision: 0 }).execute();
    },
  },
};
