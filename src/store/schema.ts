import { type Generated, type Kysely, sql } from "kysely";
import type { StaffMigrations } from "./database.js";
import { nextDay, recountDay, storedDays } from "./turn-stats.js";

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
  /** outcome.ts: answered, low, refused, library, handed-off; derived from `refused` for turns stored before it. */
  outcome?: string | null;
  /** The answer's refusal reason; on an answered turn a not-stated one is the not-stated flag. */
  refusal_reason?: string | null;
  /** answer, low or refuse; unknown (null) for turns stored before it. */
  confidence?: string | null;
  created_at: string;
}

/** Each measure a turn cites, so the log filters by measure without reading every turn's citations. */
export interface TurnMeasureTable {
  turn_id: string;
  measure_id: string;
  created_at: string;
}

/**
 * Turns counted per UTC day, channel, outcome and reason ('' for none), kept as turns are stored, so the
 * charts read a few hundred rows however many turns there are.
 */
export interface TurnStatsTable {
  day: string;
  channel: string;
  outcome: string;
  reason: string;
  questions: number;
}

/** Answered turns (outcome answered or library) citing each measure, per UTC day. */
export interface MeasureStatsTable {
  day: string;
  measure_id: string;
  questions: number;
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
  turn_measures: TurnMeasureTable;
  turn_stats: TurnStatsTable;
  measure_stats: MeasureStatsTable;
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
    // The conversation log and the charts: each turn's outcome, its cited measures, and daily tallies (turn-stats.ts).
    "store-004-outcome": {
      async up(db: Kysely<unknown>) {
        for (const column of ["outcome", "refusal_reason", "confidence"]) await db.schema.alterTable("turns").addColumn(column, "text").execute();
        await db.schema.createIndex("turns_channel_created").on("turns").columns(["channel", "created_at"]).execute();
        await db.schema.createIndex("turns_outcome_created").on("turns").columns(["outcome", "created_at"]).execute();
        await db.schema.createIndex("feedback_created").on("feedback").columns(["created_at", "rating"]).execute();
        await db.schema
          .createTable("turn_measures")
          .addColumn("turn_id", "text", (c) => c.notNull())
          .addColumn("measure_id", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("turn_measures_pk", ["turn_id", "measure_id"])
          .execute();
        await db.schema.createIndex("turn_measures_measure").on("turn_measures").columns(["measure_id", "created_at"]).execute();
        await db.schema
          .createTable("turn_stats")
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("channel", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("questions", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("turn_stats_pk", ["day", "channel", "outcome", "reason"])
          .execute();
        await db.schema
          .createTable("measure_stats")
          .addColumn("day", "text", (c) => c.notNull())
          .addColumn("measure_id", "text", (c) => c.notNull())
          .addColumn("questions", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("measure_stats_pk", ["day", "measure_id"])
          .execute();
        // Earlier turns kept only `refused`; one that cites clauses was a not-stated answer (a refusal cites nothing).
        // A day at a time, like the tallies: no statement outlasts the pool's timeouts on a large store.
        const store = db as Kysely<StoreSchema>;
        for (const day of await storedDays(store)) {
          await sql`UPDATE turns SET
              outcome = CASE WHEN refused = 1 AND citations = '[]' THEN 'refused' WHEN refused = 1 THEN 'answered'
                             WHEN library_entry_id IS NOT NULL THEN 'library' ELSE 'answered' END,
              refusal_reason = CASE WHEN refused = 1 AND citations <> '[]' THEN 'not-stated' ELSE NULL END,
              confidence = CASE WHEN refused = 1 AND citations = '[]' THEN 'refuse' ELSE NULL END
            WHERE created_at >= ${day} AND created_at < ${nextDay(day)}`.execute(db);
          await recountDay(store, dialect, day);
        }
      },
    },
    // Conversations handed to a person, what staff and the user wrote, and the answer pages a passive reply links to.
    "store-005-handoffs": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("handoffs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("channel", "text", (c) => c.notNull())
          .addColumn("conversation_id", "text", (c) => c.notNull())
          .addColumn("reply_address", "text", (c) => c.notNull())
          .addColumn("question", "text", (c) => c.notNull())
          .addColumn("transcript", "text", (c) => c.notNull())
          .addColumn("last_answer", "text")
          .addColumn("category", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .addColumn("last_user_at", "text", (c) => c.notNull())
          .addColumn("claimed_by", "text")
          .addColumn("claimed_at", "text")
          .addColumn("answered_at", "text")
          .addColumn("closed_at", "text")
          .addColumn("slack_channel", "text")
          .addColumn("slack_ts", "text")
          .addColumn("taught_entry_id", "text")
          .execute();
        await db.schema.createIndex("handoffs_status_created").on("handoffs").columns(["status", "created_at"]).execute();
        await db.schema.createIndex("handoffs_conversation").on("handoffs").columns(["conversation_id", "status"]).execute();
        await db.schema.createIndex("handoffs_slack").on("handoffs").columns(["slack_channel", "slack_ts"]).execute();
        await db.schema
          .createTable("handoff_messages")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("handoff_id", "text", (c) => c.notNull())
          .addColumn("conversation_id", "text", (c) => c.notNull())
          .addColumn("author", "text", (c) => c.notNull())
          .addColumn("actor", "text")
          .addColumn("text", "text", (c) => c.notNull())
          .addColumn("delivery", "text", (c) => c.notNull())
          .addColumn("delivery_error", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("handoff_messages_handoff").on("handoff_messages").columns(["handoff_id", "created_at"]).execute();
        await db.schema.createIndex("handoff_messages_conversation").on("handoff_messages").columns(["conversation_id", "created_at"]).execute();
        await db.schema.createIndex("handoff_messages_delivery").on("handoff_messages").columns(["delivery", "created_at"]).execute();
        await db.schema
          .createTable("answer_pages")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("question", "text", (c) => c.notNull())
          .addColumn("answer", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("expires_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("answer_pages_expires").on("answer_pages").column("expires_at").execute();
      },
    },
  };
}

/** The tie-break for turns written in the same millisecond. */
export const turnOrder = (dialect: Dialect) => (dialect === "postgres" ? sql.ref("seq") : sql.ref("rowid"));
