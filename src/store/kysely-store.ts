import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import type { Logger } from "pino";
import { AppError, StoreUnavailableError } from "../errors.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import { retry } from "../retry.js";
import { commitTurns } from "./commit-turns.js";
import { type DatabaseTarget, isConnectionError, type OpenedDatabase, openDatabase, redactUrl } from "./connect.js";
import { applyMigrations } from "./database.js";
import { groupCommit } from "./group-commit.js";
import { outcomeOf } from "./outcome.js";
import { storeMigrations, type TurnTable, turnOrder } from "./schema.js";
import type { DatabaseHealth, Store, StoreHealth } from "./store.js";
import { recountAfterRetention } from "./turn-stats.js";
import { turnWriterThread } from "./turn-writer-thread.js";

export interface StoreOptions {
  logger?: Logger;
  now?: () => string;
  /** Tries per operation when the connection is lost (PostgreSQL); the waits between them grow threefold. */
  retry?: { attempts: number; firstDelayMs: number };
}

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string } | undefined)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The store over an opened database; its migrations start at once and every method waits for them. */
export function createStore(opened: OpenedDatabase, { logger, now = () => new Date().toISOString(), retry: tries }: StoreOptions = {}): Store {
  const { db, dialect } = opened;
  const health = { writeFailures: 0, readFailures: 0, degraded: false, lastWriteError: undefined as string | undefined };
  const ready = applyMigrations(db, storeMigrations(dialect, opened.legacyVersion));
  // A failed migration is reported by openStore, or by each operation; never as an unhandled rejection.
  ready.catch(() => undefined);
  const { attempts, firstDelayMs } = tries ?? (dialect === "postgres" ? { attempts: 4, firstDelayMs: 100 } : { attempts: 1, firstDelayMs: 0 });

  /** Runs `operation`, again on a fresh connection when the connection was lost, with growing waits between. */
  async function withRetry<T>(what: string, operation: () => Promise<T>): Promise<T> {
    await ready;
    return retry(operation, {
      attempts,
      firstDelayMs,
      factor: 3,
      retryable: isConnectionError,
      sleep,
      onRetry: (error, attempt, delayMs) => logger?.warn({ err: error, attempt, delayMs }, `database unreachable while ${what}; retrying`),
    });
  }

  // What close() waits for: a write is under way from its call, before it reaches the group commit.
  const writing = new Set<Promise<unknown>>();

  /** A write: failures are logged and counted, and mark the store degraded until a write succeeds. */
  function write<T>(what: string, operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const running = attempt(what, operation);
    writing.add(running);
    void running.finally(() => writing.delete(running));
    return running;
  }

  async function attempt<T>(what: string, operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    try {
      const value = await withRetry(`storing ${what}`, operation);
      health.degraded = false;
      return { ok: true, value };
    } catch (error) {
      health.writeFailures++;
      health.degraded = true;
      health.lastWriteError = message(error);
      logger?.error({ err: error, writeFailures: health.writeFailures }, `could not store ${what}`);
      return { ok: false, error };
    }
  }

  /** A read the caller cannot do without: a lost database becomes StoreUnavailableError (HTTP 503). */
  async function read<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(`reading ${what}`, operation);
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError(`could not read ${what}: ${message(error)}`, { cause: error });
      throw error;
    }
  }

  async function ping(): Promise<DatabaseHealth> {
    const started = performance.now();
    const base = { dialect, ...(opened.pool ? { pool: opened.pool() } : {}) };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`SELECT 1`.execute(db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("no answer within 1 s")), 1_000);
        }),
      ]);
      return { ...base, reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return { ...base, reachable: false, error: message(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  // A file-backed SQLite store commits its turns on a thread of their own; :memory: cannot be shared with one.
  const writerThread = opened.sqlite && !opened.sqlite.memory ? turnWriterThread(opened.sqlite.name) : undefined;
  const turnWriter = groupCommit<TurnTable>((turns) => (writerThread ? writerThread.commit(turns) : commitTurns(db, turns)));
  // Loaded while the server starts rather than on the first answer's time; a failed migration is reported through `ready`.
  void ready.then(
    () => writerThread?.start(),
    () => undefined,
  );

  const store: Store = {
    dialect,
    db,
    sqlite: opened.sqlite,
    ready,
    async history(conversationId, limit = 6) {
      try {
        const rows = await withRetry("the conversation", () =>
          db
            .selectFrom("turns")
            .select(["question", "resolved_question", "answer"])
            .where("conversation_id", "=", conversationId)
            .orderBy("created_at", "desc")
            .orderBy(turnOrder(dialect), "desc")
            .limit(limit)
            .execute(),
        );
        return rows.reverse().map((r) => ({ question: r.question, resolvedQuestion: r.resolved_question ?? undefined, answer: r.answer }));
      } catch (error) {
        health.readFailures++;
        logger?.error({ err: error, readFailures: health.readFailures }, "could not read the conversation; answering without it");
        return [];
      }
    },
    async recordTurn({ conversationId, channel, question, answer, handedOff }) {
      const at = now();
      const id = conversationId ?? randomUUID();
      const answerId = randomUUID();
      const { outcome, refusalReason } = outcomeOf(answer, handedOff);
      const turn: TurnTable = {
        id: answerId,
        conversation_id: id,
        channel,
        question: maskPersonalData(question),
        resolved_question: answer.resolvedQuestion ? maskPersonalData(answer.resolvedQuestion) : null,
        answer: answer.text,
        refused: answer.refused ? 1 : 0,
        mode: answer.mode,
        citations: JSON.stringify(answer.citations),
        prompt_version: answer.promptVersion ?? null,
        library_entry_id: answer.libraryEntryId ?? null,
        outcome,
        refusal_reason: refusalReason,
        confidence: answer.confidence,
        created_at: at,
      };
      const result = await write("the turn", () => turnWriter.add(turn));
      return { conversationId: id, answerId, stored: result.ok };
    },
    async rate({ answerId, rating, comment, client, replace = false }) {
      const turn = await read("the answer", () => db.selectFrom("turns").select("id").where("id", "=", answerId).executeTakeFirst());
      if (!turn) return "unknown-answer";
      const masked = comment === undefined ? null : maskPersonalData(comment);
      const earlier =
        client === undefined
          ? undefined
          : await read("the rating", () =>
              db.selectFrom("feedback").select("id").where("turn_id", "=", answerId).where("client", "=", client).executeTakeFirst(),
            );
      if (earlier && !replace) return "already-rated";
      const result = await write("the rating", async () => {
        if (earlier) await db.updateTable("feedback").set({ rating, comment: masked, created_at: now() }).where("id", "=", earlier.id).execute();
        else
          await db
            .insertInto("feedback")
            .values({ turn_id: answerId, rating, comment: masked, client: client ?? null, created_at: now() })
            .execute();
      });
      if (result.ok) return "stored";
      // The same client rating the same answer on two instances at once: the second insert loses.
      if (isUniqueViolation(result.error)) return "already-rated";
      if (isConnectionError(result.error)) throw new StoreUnavailableError("could not store the rating", { cause: result.error });
      throw new AppError("UNKNOWN", "could not store the rating", { userMessage: "评价暂时无法保存，请稍后再试。", cause: result.error });
    },
    async addFeedback(input) {
      return (await store.rate(input)) === "stored";
    },
    async unanswered(limit = 50) {
      const rows = await read("the unanswered questions", () =>
        db
          .selectFrom("turns as t")
          .leftJoin("feedback as f", (join) =>
            join.on("f.id", "=", (eb) =>
              eb
                .selectFrom("feedback as d")
                .select((inner) => inner.fn.max("d.id").as("latest"))
                .whereRef("d.turn_id", "=", "t.id")
                .where("d.rating", "=", "down"),
            ),
          )
          .select(["t.id", "t.question", "t.answer", "t.refused", "t.outcome", "t.channel", "t.created_at", "f.rating", "f.comment"])
          // Refused by outcome: an answer quoting its clauses that says 文件中没有写明… is answered, not refused.
          // A turn without an outcome was stored by an instance not yet upgraded: its `refused` decides.
          .where((eb) => eb.or([eb("t.outcome", "=", "refused"), eb.and([eb("t.outcome", "is", null), eb("t.refused", "=", 1)]), eb("f.id", "is not", null)]))
          .orderBy(sql`COALESCE(f.created_at, t.created_at)`, "desc")
          .limit(limit)
          .execute(),
      );
      return rows.map((r) => ({
        answerId: r.id,
        question: r.question,
        answer: r.answer,
        refused: r.outcome ? r.outcome === "refused" : Number(r.refused) === 1,
        rating: r.rating ?? undefined,
        comment: r.comment ?? undefined,
        channel: r.channel,
        createdAt: r.created_at,
      }));
    },
    async topQuestions(limit = 4) {
      const rows = await read("the top questions", () =>
        db
          .selectFrom("turns")
          .select("question")
          .where("refused", "=", 0)
          .groupBy("question")
          .orderBy(sql`COUNT(*)`, "desc")
          .orderBy(sql`MAX(created_at)`, "desc")
          .limit(limit)
          .execute(),
      );
      return rows.map((r) => r.question);
    },
    async deleteTurnsBefore(cutoff) {
      const result = await write("the retention delete", () =>
        db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom("feedback")
            .where("turn_id", "in", trx.selectFrom("turns").select("id").where("created_at", "<", cutoff))
            .execute();
          const deleted = await trx.deleteFrom("turns").where("created_at", "<", cutoff).executeTakeFirst();
          await recountAfterRetention(trx, dialect, cutoff);
          await trx
            .deleteFrom("conversations")
            .where("updated_at", "<", cutoff)
            .where((eb) => eb.not(eb.exists(eb.selectFrom("turns").select("turns.id").whereRef("turns.conversation_id", "=", "conversations.id"))))
            .execute();
          return Number(deleted.numDeletedRows);
        }),
      );
      return result.ok ? result.value : 0;
    },
    async health(): Promise<StoreHealth> {
      const { lastWriteError, ...counts } = health;
      return { ...counts, ...(lastWriteError ? { lastWriteError } : {}), database: await ping() };
    },
    async close() {
      while (writing.size > 0) await Promise.all(writing);
      await writerThread?.close();
      await db.destroy();
    },
  };
  return store;
}

/**
 * The SQLite store on `path` (":memory:" for none on disk). It opens at once (a bad path throws here,
 * naming DATABASE_PATH); its migrations finish before the first operation.
 */
export function openSqliteStore(path: string, logger?: Logger, now?: () => string): Store {
  return createStore(openDatabase({ dialect: "sqlite", path }), { logger, now });
}

/**
 * The store the configuration names, migrated and ready. On PostgreSQL an unreachable server is waited for
 * (a database starting beside the app) up to `startupWaitMs`, then the start fails naming DATABASE_URL.
 */
export async function openStore(target: DatabaseTarget, options: StoreOptions & { startupWaitMs?: number } = {}): Promise<Store> {
  const { startupWaitMs = 30_000, ...storeOptions } = options;
  const deadline = Date.now() + startupWaitMs;
  for (let attempt = 1; ; attempt++) {
    const store = createStore(openDatabase(target, options.logger), storeOptions);
    try {
      await store.ready;
      return store;
    } catch (error) {
      await store.close().catch(() => undefined);
      const where = target.dialect === "postgres" ? `${redactUrl(target.url)} (DATABASE_URL)` : `${target.path} (DATABASE_PATH)`;
      if (target.dialect === "postgres" && isConnectionError(error) && Date.now() < deadline) {
        options.logger?.warn({ err: error, attempt, database: redactUrl(target.url) }, "database not reachable yet; waiting");
        await sleep(Math.min(2_000, 250 * attempt));
        continue;
      }
      throw new AppError("CONFIG_INVALID", `Cannot open the database at ${where}: ${message(error)}`, { cause: error });
    }
  }
}
