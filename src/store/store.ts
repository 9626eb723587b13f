import type Database from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Answer, Turn } from "../types.js";
import type { Dialect, StoreSchema } from "./schema.js";

/**
 * Where a question came from: the web console, the JSON API, Slack, the personal-account WeChat bot (wechaty),
 * the 公众号 and the 企业微信 application. Turns stored before the three WeChat channels were told apart say "wechat".
 */
export const CHANNELS = ["web", "api", "slack", "wechaty", "wechat-mp", "wecom", "cli"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface RecordedTurn {
  conversationId: string;
  /** Names a stored answer only when `stored` is true; otherwise there is nothing to rate. */
  answerId: string;
  /** False when the write failed (a full disk, a read-only file, the database down): the answer was given but not kept. */
  stored: boolean;
}

export interface UnansweredRow {
  answerId: string;
  question: string;
  answer: string;
  refused: boolean;
  rating?: string;
  comment?: string;
  channel: string;
  createdAt: string;
}

export type Rating = "up" | "down";

/** What became of a rating: kept, about an answer the store does not have, or a second one from the same client. */
export type RatingOutcome = "stored" | "unknown-answer" | "already-rated";

export interface DatabaseHealth {
  dialect: Dialect;
  /** A `SELECT 1` answered within a second. */
  reachable: boolean;
  latencyMs?: number;
  error?: string;
  /** PostgreSQL: connections held, idle, and queries waiting for one. */
  pool?: { total: number; idle: number; waiting: number };
}

export interface StoreHealth {
  /** Writes that failed since the store opened. */
  writeFailures: number;
  /** Reads (a conversation's history) that failed and were answered without it. */
  readFailures: number;
  /** True while the latest write failed: answers are being given but not kept. */
  degraded: boolean;
  lastWriteError?: string;
  database: DatabaseHealth;
}

/**
 * Conversations, answers and feedback; every channel writes here. One
 * implementation (kysely-store.ts) over SQLite or PostgreSQL; every method is
 * async because the database may be across the network.
 */
export interface Store {
  /** A failed read is logged and counted, and answered with no history (the question is answered on its own). */
  history(conversationId: string, limit?: number): Promise<Turn[]>;
  /** Questions are stored with personal numbers masked. A failed write is logged and counted, never thrown. */
  /**
   * Stores the turn with its outcome (outcome.ts: answered, low, refused with its reason, from the library,
   * handed off), confidence and cited measures, and counts it in the daily tallies the charts read.
   */
  recordTurn(input: { conversationId?: string; channel: Channel; question: string; answer: Answer; handedOff?: boolean }): Promise<RecordedTurn>;
  /**
   * One rating per answer per client (an address, a Slack user): a second one is refused unless `replace`
   * (staff correcting a rating). Without a client, every rating is kept. Throws StoreUnavailableError when
   * the database cannot be reached.
   */
  rate(input: { answerId: string; rating: Rating; comment?: string; client?: string; replace?: boolean }): Promise<RatingOutcome>;
  /** `rate` without a client, for channels that check the rater themselves; false for an unknown answer. */
  addFeedback(input: { answerId: string; rating: Rating; comment?: string }): Promise<boolean>;
  /** Refused answers and answers anyone rated down, newest first; a later rating up does not hide one. */
  unanswered(limit?: number): Promise<UnansweredRow[]>;
  /**
   * @deprecated Anonymous askers control this list (issue 17, item 6); show curated examples
   * (src/channels/examples.json) instead. Kept until the Slack channel stops calling it.
   */
  topQuestions(limit?: number): Promise<string[]>;
  /** Deletes turns (and their feedback and emptied conversations) created before `cutoff`; returns how many turns. */
  deleteTurnsBefore(cutoff: string): Promise<number>;
  /** Write counts and a live check of the database, for /readyz. */
  health(): Promise<StoreHealth>;
  readonly dialect: Dialect;
  /**
   * The kysely handle on the store's database, SQLite or PostgreSQL: staff tables
   * (library, documents, audit) open on it with `openStaffDatabase(store.db, migrations)`.
   */
  readonly db: Kysely<StoreSchema>;
  /** The SQLite connection, for code that still reads it synchronously; absent on PostgreSQL. */
  readonly sqlite?: Database.Database;
  /** Settles when the store's migrations have run; every method waits for it. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}
