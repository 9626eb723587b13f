import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import type { Answer, Turn } from "../types.js";

export type Channel = "web" | "api" | "slack" | "wechat" | "cli";

export interface RecordedTurn {
  conversationId: string;
  /** Names a stored answer only when `stored` is true; otherwise there is nothing to rate. */
  answerId: string;
  /** False when the write failed (a full disk, a read-only file): the answer was given but not kept. */
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

export interface StoreHealth {
  /** Writes that failed since the store opened. */
  writeFailures: number;
  /** True while the latest write failed: answers are being given but not kept. */
  degraded: boolean;
  lastWriteError?: string;
}

/** Conversations, answers and feedback; every channel writes here. */
export interface Store {
  history(conversationId: string, limit?: number): Turn[];
  /** Questions are stored with personal numbers masked. A failed write is logged and counted, never thrown. */
  recordTurn(input: { conversationId?: string; channel: Channel; question: string; answer: Answer }): RecordedTurn;
  /**
   * One rating per answer per client (an address, a Slack user): a second one is refused unless `replace`
   * (staff correcting a rating). Without a client, every rating is kept.
   */
  rate(input: { answerId: string; rating: Rating; comment?: string; client?: string; replace?: boolean }): RatingOutcome;
  /** `rate` without a client, for channels that check the rater themselves; false for an unknown answer. */
  addFeedback(input: { answerId: string; rating: Rating; comment?: string }): boolean;
  /** Refused answers and answers anyone rated down, newest first; a later rating up does not hide one. */
  unanswered(limit?: number): UnansweredRow[];
  /**
   * @deprecated Anonymous askers control this list (issue 17, item 6); show curated examples
   * (src/channels/examples.json) instead. Kept until the Slack channel stops calling it.
   */
  topQuestions(limit?: number): string[];
  /** Deletes turns (and their feedback and emptied conversations) created before `cutoff`; returns how many turns. */
  deleteTurnsBefore(cutoff: string): number;
  health(): StoreHealth;
  /** The SQLite connection, for the staff tables that share the file (see store/database.ts). */
  readonly sqlite?: Database.Database;
  close(): void;
}

const MIGRATIONS = [
  `CREATE TABLE conversations (id TEXT PRIMARY KEY, channel TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE turns (
     id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id), channel TEXT NOT NULL,
     question TEXT NOT NULL, resolved_question TEXT, answer TEXT NOT NULL, refused INTEGER NOT NULL, mode TEXT NOT NULL,
     citations TEXT NOT NULL, prompt_version TEXT, created_at TEXT NOT NULL);
   CREATE INDEX turns_conversation ON turns(conversation_id, created_at);
   CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL REFERENCES turns(id), rating TEXT NOT NULL, comment TEXT, created_at TEXT NOT NULL);
   CREATE INDEX feedback_turn ON feedback(turn_id);`,
  // Retention deletes by age; ratings are counted per client (NULLs stay distinct, so older rows keep).
  `CREATE INDEX turns_created ON turns(created_at);
   ALTER TABLE feedback ADD COLUMN client TEXT;
   CREATE UNIQUE INDEX feedback_turn_client ON feedback(turn_id, client);`,
];

function openDatabase(path: string): Database.Database {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    const version = db.pragma("user_version", { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v]);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("CONFIG_INVALID", `Cannot open the database at ${path} (DATABASE_PATH): ${reason}`, { cause: error });
  }
}

export function openSqliteStore(path: string, logger?: Logger, now = () => new Date().toISOString()): Store {
  const db = openDatabase(path);
  const health: StoreHealth = { writeFailures: 0, degraded: false };

  const statements = {
    history: db.prepare("SELECT question, resolved_question, answer FROM turns WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?"),
    conversation: db.prepare("SELECT id FROM conversations WHERE id = ?"),
    newConversation: db.prepare("INSERT INTO conversations (id, channel, created_at, updated_at) VALUES (?, ?, ?, ?)"),
    touch: db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?"),
    turn: db.prepare(
      "INSERT INTO turns (id, conversation_id, channel, question, resolved_question, answer, refused, mode, citations, prompt_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    ),
    turnExists: db.prepare("SELECT 1 FROM turns WHERE id = ?"),
    rated: db.prepare("SELECT id FROM feedback WHERE turn_id = ? AND client = ?"),
    feedback: db.prepare("INSERT INTO feedback (turn_id, rating, comment, client, created_at) VALUES (?, ?, ?, ?, ?)"),
    replaceFeedback: db.prepare("UPDATE feedback SET rating = ?, comment = ?, created_at = ? WHERE id = ?"),
    unanswered: db.prepare(
      `SELECT t.id, t.question, t.answer, t.refused, t.channel, t.created_at, f.rating, f.comment FROM turns t
       LEFT JOIN feedback f ON f.id = (SELECT MAX(id) FROM feedback WHERE turn_id = t.id AND rating = 'down')
       WHERE t.refused = 1 OR f.id IS NOT NULL ORDER BY COALESCE(f.created_at, t.created_at) DESC LIMIT ?`,
    ),
    top: db.prepare("SELECT question, COUNT(*) AS n FROM turns WHERE refused = 0 GROUP BY question ORDER BY n DESC, MAX(created_at) DESC LIMIT ?"),
    deleteOldFeedback: db.prepare("DELETE FROM feedback WHERE turn_id IN (SELECT id FROM turns WHERE created_at < ?)"),
    deleteOldTurns: db.prepare("DELETE FROM turns WHERE created_at < ?"),
    deleteEmptyConversations: db.prepare(
      "DELETE FROM conversations WHERE updated_at < ? AND NOT EXISTS (SELECT 1 FROM turns WHERE conversation_id = conversations.id)",
    ),
  };

  /** Runs a write; a failure is logged and counted, and marks the store degraded until a write succeeds. */
  function write<T>(what: string, run: () => T): { ok: true; value: T } | { ok: false } {
    try {
      const value = db.transaction(run)();
      health.degraded = false;
      return { ok: true, value };
    } catch (error) {
      health.writeFailures++;
      health.degraded = true;
      health.lastWriteError = error instanceof Error ? error.message : String(error);
      logger?.error({ err: error, writeFailures: health.writeFailures }, `could not store ${what}`);
      return { ok: false };
    }
  }

  const store: Store = {
    history(conversationId, limit = 6) {
      const rows = statements.history.all(conversationId, limit) as Array<{ question: string; resolved_question: string | null; answer: string }>;
      return rows.reverse().map((r) => ({ question: r.question, resolvedQuestion: r.resolved_question ?? undefined, answer: r.answer }));
    },
    recordTurn({ conversationId, channel, question, answer }) {
      const at = now();
      const id = conversationId ?? randomUUID();
      const answerId = randomUUID();
      const result = write("the turn", () => {
        if (!statements.conversation.get(id)) statements.newConversation.run(id, channel, at, at);
        else statements.touch.run(at, id);
        statements.turn.run(
          answerId,
          id,
          channel,
          maskPersonalData(question),
          answer.resolvedQuestion ? maskPersonalData(answer.resolvedQuestion) : answer.resolvedQuestion,
          answer.text,
          answer.refused ? 1 : 0,
          answer.mode,
          JSON.stringify(answer.citations),
          answer.promptVersion ?? null,
          at,
        );
      });
      return { conversationId: id, answerId, stored: result.ok };
    },
    rate({ answerId, rating, comment, client, replace = false }) {
      if (!statements.turnExists.get(answerId)) return "unknown-answer";
      const masked = comment === undefined ? null : maskPersonalData(comment);
      const earlier = client === undefined ? undefined : (statements.rated.get(answerId, client) as { id: number } | undefined);
      if (earlier && !replace) return "already-rated";
      const result = write("the rating", () =>
        earlier ? statements.replaceFeedback.run(rating, masked, now(), earlier.id) : statements.feedback.run(answerId, rating, masked, client ?? null, now()),
      );
      if (!result.ok) throw new AppError("UNKNOWN", "could not store the rating", { userMessage: "评价暂时无法保存，请稍后再试。" });
      return "stored";
    },
    addFeedback(input) {
      return store.rate(input) === "stored";
    },
    unanswered(limit = 50) {
      const rows = statements.unanswered.all(limit) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        answerId: String(r.id),
        question: String(r.question),
        answer: String(r.answer),
        refused: r.refused === 1,
        rating: (r.rating as string) ?? undefined,
        comment: (r.comment as string) ?? undefined,
        channel: String(r.channel),
        createdAt: String(r.created_at),
      }));
    },
    topQuestions(limit = 4) {
      return (statements.top.all(limit) as Array<{ question: string }>).map((r) => r.question);
    },
    deleteTurnsBefore(cutoff) {
      const result = write("the retention delete", () => {
        statements.deleteOldFeedback.run(cutoff);
        const deleted = statements.deleteOldTurns.run(cutoff).changes;
        statements.deleteEmptyConversations.run(cutoff);
        return deleted;
      });
      return result.ok ? result.value : 0;
    },
    health() {
      return { ...health };
    },
    sqlite: db,
    close() {
      db.close();
    },
  };
  return store;
}
