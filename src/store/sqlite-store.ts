import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import type { Answer, Turn } from "../types.js";

export type Channel = "web" | "api" | "slack" | "wechat" | "cli";

export interface RecordedTurn {
  conversationId: string;
  answerId: string;
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

/** Conversations, answers and feedback; every channel writes here. */
export interface Store {
  history(conversationId: string, limit?: number): Turn[];
  recordTurn(input: { conversationId?: string; channel: Channel; question: string; answer: Answer }): RecordedTurn;
  addFeedback(input: { answerId: string; rating: "up" | "down"; comment?: string }): boolean;
  unanswered(limit?: number): UnansweredRow[];
  topQuestions(limit?: number): string[];
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
];

export function openSqliteStore(path: string, logger?: Logger, now = () => new Date().toISOString()): Store {
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

  const statements = {
    history: db.prepare("SELECT question, resolved_question, answer FROM turns WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?"),
    conversation: db.prepare("SELECT id FROM conversations WHERE id = ?"),
    newConversation: db.prepare("INSERT INTO conversations (id, channel, created_at, updated_at) VALUES (?, ?, ?, ?)"),
    touch: db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?"),
    turn: db.prepare(
      "INSERT INTO turns (id, conversation_id, channel, question, resolved_question, answer, refused, mode, citations, prompt_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    ),
    turnExists: db.prepare("SELECT 1 FROM turns WHERE id = ?"),
    feedback: db.prepare("INSERT INTO feedback (turn_id, rating, comment, created_at) VALUES (?, ?, ?, ?)"),
    unanswered: db.prepare(
      `SELECT t.id, t.question, t.answer, t.refused, t.channel, t.created_at, f.rating, f.comment FROM turns t
       LEFT JOIN feedback f ON f.id = (SELECT MAX(id) FROM feedback WHERE turn_id = t.id)
       WHERE t.refused = 1 OR f.rating = 'down' ORDER BY COALESCE(f.created_at, t.created_at) DESC LIMIT ?`,
    ),
    top: db.prepare("SELECT question, COUNT(*) AS n FROM turns WHERE refused = 0 GROUP BY question ORDER BY n DESC, MAX(created_at) DESC LIMIT ?"),
  };

  return {
    history(conversationId, limit = 6) {
      const rows = statements.history.all(conversationId, limit) as Array<{ question: string; resolved_question: string | null; answer: string }>;
      return rows.reverse().map((r) => ({ question: r.question, resolvedQuestion: r.resolved_question ?? undefined, answer: r.answer }));
    },
    recordTurn({ conversationId, channel, question, answer }) {
      const at = now();
      const id = conversationId ?? randomUUID();
      const answerId = randomUUID();
      try {
        db.transaction(() => {
          if (!statements.conversation.get(id)) statements.newConversation.run(id, channel, at, at);
          else statements.touch.run(at, id);
          statements.turn.run(
            answerId,
            id,
            channel,
            question,
            answer.resolvedQuestion,
            answer.text,
            answer.refused ? 1 : 0,
            answer.mode,
            JSON.stringify(answer.citations),
            answer.promptVersion ?? null,
            at,
          );
        })();
      } catch (error) {
        // The user still gets the answer; losing the record is logged, not fatal.
        logger?.error({ err: error }, "could not store the turn");
      }
      return { conversationId: id, answerId };
    },
    addFeedback({ answerId, rating, comment }) {
      if (!statements.turnExists.get(answerId)) return false;
      statements.feedback.run(answerId, rating, comment ?? null, now());
      return true;
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
    close() {
      db.close();
    },
  };
}
