import { type Generated, type Kysely, sql } from "kysely";
import type { StaffMigrations } from "./database.js";

export type Dialect = "sqlite" | "postgres";

export interface ConversationTable {
  id: string;
  channel: string;
  created_at: string;
  updated_at: string;
}

export interface TurnTable {
  id: string;
  conversation_id: string;
  channel: string;
  question: string;
  resolved_question: string | null;
  answer: string;
  /** 0 or 1 on both engines. */
  refused: number;
  mode: string;
  /** JSON array of citations. */
  citations: string;
  prompt_version: string | null;
  /** The question-library entry the answer came from (issue 12), when staff taught it. */
  library_entry_id?: string | null;
  created_at: string;
}

export interface FeedbackTable {
  /** Autoincrement on SQLite, serial on PostgreSQL; the newest rating has the largest id. */
  id: Generated<number>;
  turn_id: string;
  rating: string;
  comment: string | null;
  client: string | null;
  created_at: string;
}

export interface StoreSchema {
  conversations: ConversationTable;
  turns: TurnTable;
  feedback: FeedbackTable;
}

/**
 * The store's tables as kysely migrations, one source for SQLite and PostgreSQL.
 * The first two are the hand-written `user_version` migrations of the first
 * SQLite store: a file that already has them (`legacyVersion`) skips their
 * bodies, so the migration is recorded as applied without touching its tables.
 */
export function storeMigrations(dialect: Dialect, legacyVersion = 0): StaffMigrations {
  return {
    "store-001-create": {
      async up(db: Kysely<unknown>) {
        if (legacyVersion >= 1) return;
        await db.schema
          .createTable("conversations")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("channel", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
        let turns = db.schema
          .createTable("turns")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id"))
          .addColumn("channel", "text", (c) => c.notNull())
          .addColumn("question", "text", (c) => c.notNull())
          .addColumn("resolved_question", "text")
          .addColumn("answer", "text", (c) => c.notNull())
          .addColumn("refused", "integer", (c) => c.notNull())
          .addColumn("mode", "text", (c) => c.notNull())
          .addColumn("citations", "text", (c) => c.notNull())
          .addColumn("prompt_version", "text")
          .addColumn("created_at", "text", (c) => c.notNull());
        // Turns written in the same millisecond keep their order: SQLite has rowid, PostgreSQL gets a sequence.
        if (dialect === "postgres") turns = turns.addColumn("seq", "bigserial", (c) => c.notNull());
        await turns.execute();
        await db.schema.createIndex("turns_conversation").on("turns").columns(["conversation_id", "created_at"]).execute();
        await db.schema
          .createTable("feedback")
          .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn("turn_id", "text", (c) => c.notNull().references("turns.id"))
          .addColumn("rating", "text", (c) => c.notNull())
          .addColumn("comment", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("feedback_turn").on("feedback").column("turn_id").execute();
      },
    },
    // Retention deletes by age; ratings are counted per client (NULLs stay distinct, so older rows keep).
    "store-002-retention-client": {
      async up(db: Kysely<unknown>) {
        if (legacyVersion >= 2) return;
        await db.schema.createIndex("turns_created").on("turns").column("created_at").execute();
        await db.schema.alterTable("feedback").addColumn("client", "text").execute();
        await db.schema.createIndex("feedback_turn_client").on("feedback").columns(["turn_id", "client"]).unique().execute();
      },
    },
    // Answers record which question-library entry they came from (issue 12).
    "store-003-library-entry": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("turns").addColumn("library_entry_id", "text").execute();
      },
    },
  };
}

/** The tie-break for turns written in the same millisecond. */
export const turnOrder = (dialect: Dialect) => (dialect === "postgres" ? sql.ref("seq") : sql.ref("rowid"));
