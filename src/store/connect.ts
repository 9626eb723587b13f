import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, type SqliteStatement } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import type { Dialect, StoreSchema } from "./schema.js";
import { sqliteConnections } from "./sqlite-connections.js";

/** Where the store lives: a SQLite file (the default) or a PostgreSQL server shared by every instance. */
export type DatabaseTarget =
  | { dialect: "sqlite"; path: string }
  | {
      dialect: "postgres";
      url: string;
      /** Connections this instance may hold at once (DATABASE_POOL_MAX). */
      poolMax?: number;
      /** How long a query waits for a connection, and the most one statement may run (DATABASE_TIMEOUT_MS). */
      timeoutMs?: number;
    };

export interface OpenedDatabase {
  dialect: Dialect;
  db: Kysely<StoreSchema>;
  /** The SQLite connection, for code that reads it synchronously; absent on PostgreSQL. */
  sqlite?: Database.Database;
  /** PostgreSQL: the pool's counts, for /readyz. */
  pool?: () => { total: number; idle: number; waiting: number };
  /** Pre-kysely SQLite files carry their migrations in user_version. */
  legacyVersion: number;
}

/**
 * kysely prepares every query afresh; better-sqlite3 statements can be reused,
 * and preparing was a tenth of an answer's time under load. The queries are a
 * fixed set (with placeholders), so the cache stays small.
 */
export function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let statement = statements.get(query);
      if (!statement) {
        statement = sqlite.prepare(query);
        if (statements.size < MAX_CACHED_STATEMENTS) statements.set(query, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

const MAX_CACHED_STATEMENTS = 500;

function openSqlite(path: string): OpenedDatabase {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // Two connections write the file (the store's and its turn writer thread's): each waits up to the busy timeout
    // for the other's transaction to end rather than failing at once (better-sqlite3's default, stated here).
    const sqlite = new Database(path, { timeout: 5_000 });
    sqlite.pragma("journal_mode = WAL");
    // Under WAL, NORMAL syncs at checkpoints rather than at every commit: a crash of the process loses nothing, a
    // power cut may lose the last turns logged but never corrupts the file (SQLite's advice for WAL).
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    const legacyVersion = sqlite.pragma("user_version", { simple: true }) as number;
    const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    sqliteConnections.set(db, sqlite);
    return { dialect: "sqlite", db, sqlite, legacyVersion };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("CONFIG_INVALID", `Cannot open the database at ${path} (DATABASE_PATH): ${reason}`, { cause: error });
  }
}

/** The address without its password, for logs and errors. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

function openPostgres(target: Extract<DatabaseTarget, { dialect: "postgres" }>, logger?: Logger): OpenedDatabase {
  const timeoutMs = target.timeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: target.url,
    // At least two: the migrator holds one under its lock while another reads what is applied.
    max: Math.max(2, target.poolMax ?? 10),
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: timeoutMs * 2,
    query_timeout: timeoutMs * 3,
    application_name: "relief-policy-bot",
  });
  // An idle connection the server dropped (a restart) must not crash the process: the pool replaces it.
  pool.on("error", (error) => logger?.warn({ err: error, database: redactUrl(target.url) }, "database connection lost; the pool will reconnect"));
  // A connection checked out but between queries (inside a transaction) reports a restart as an 'error'
  // event of its own; unheard, it would end the process. Its next query fails and is retried.
  pool.on("connect", (client) =>
    client.on("error", (error) => logger?.warn({ err: error }, "database connection lost while in use; the operation is retried")),
  );
  return {
    dialect: "postgres",
    db: new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }),
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    legacyVersion: 0,
  };
}

export function openDatabase(target: DatabaseTarget, logger?: Logger): OpenedDatabase {
  return target.dialect === "sqlite" ? openSqlite(target.path) : openPostgres(target, logger);
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** A lost or refused connection (a restart, a failover): worth trying again on a fresh connection. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  if (code && TRANSIENT_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable|server closed the connection/i.test(
    message,
  );
}
