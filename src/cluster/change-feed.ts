import { type Kysely, sql } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import { type AnyDatabase, applyMigrations, type StaffMigrations } from "../store/database.js";
import type { RedisLink } from "./redis.js";

/** Something staff changed that every instance must pick up: a library entry, a published or retired document. */
export interface Change {
  /** "library", "document", …: what the subscriber reloads. */
  kind: string;
  /** The changed thing's id; when notices were missed and the periodic check found the change, the latest one. */
  id: string;
  /** This kind's version after the change; each version reaches a subscriber at most once. */
  version: number;
}

export type ChangeHandler = (change: Change) => void | Promise<void>;

/**
 * Keeps every instance current. `publish` after a change is committed: the
 * kind's version goes up in the database (durable), and a notice goes to the
 * other instances at once (Redis pub/sub, or PostgreSQL NOTIFY). Each instance
 * also compares the versions every `checkIntervalMs`, so a notice lost while
 * Redis or a connection was down is caught then. Subscribers are called for
 * changes made elsewhere only: the instance that made a change has applied it.
 */
export interface ChangeFeed {
  publish(kind: string, id: string): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: ChangeHandler): () => void;
  /** Compares the versions now (the periodic check calls this). */
  check(): Promise<void>;
  /** How notices travel: "redis", "postgres" (NOTIFY), or "poll" (the check alone). */
  readonly transport: "redis" | "postgres" | "poll";
  close(): Promise<void>;
}

interface ChangeVersionsTable {
  kind: string;
  version: number;
  last_id: string;
  changed_at: string;
}

interface ChangeSchema {
  change_versions: ChangeVersionsTable;
}

export const changeFeedMigrations: StaffMigrations = {
  "cluster-001-change-versions": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("change_versions")
        .addColumn("kind", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("last_id", "text", (c) => c.notNull())
        .addColumn("changed_at", "text", (c) => c.notNull())
        .execute();
    },
  },
};

export interface ChangeFeedOptions {
  /** The store's database (`store.db`), where the versions are kept. */
  db: AnyDatabase;
  /** Redis pub/sub for the notices, when REDIS_URL is set. */
  redis?: RedisLink;
  /** PostgreSQL LISTEN/NOTIFY for the notices when there is no Redis (DATABASE_URL). */
  postgresUrl?: string;
  checkIntervalMs?: number;
  logger?: Logger;
  now?: () => string;
}

const CHANNEL = "relief_changes";

export async function openChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const { redis, postgresUrl, logger, now = () => new Date().toISOString() } = options;
  const db = options.db as Kysely<ChangeSchema>;
  await applyMigrations(options.db, changeFeedMigrations);
  const handlers = new Set<ChangeHandler>();
  /** The version of each kind this instance is current with; the publisher's own notice is thus no news to it. */
  const seen = new Map<string, number>();
  const channel = redis ? `${redis.prefix}${CHANNEL}` : CHANNEL;

  async function deliver(change: Change) {
    if ((seen.get(change.kind) ?? 0) >= change.version) return;
    seen.set(change.kind, change.version);
    for (const handler of handlers) {
      try {
        await handler(change);
      } catch (error) {
        logger?.error({ err: error, change }, "a change subscriber failed");
      }
    }
  }

  async function versions() {
    return db.selectFrom("change_versions").select(["kind", "version", "last_id"]).execute();
  }

  for (const row of await versions()) seen.set(row.kind, Number(row.version));

  const onNotice = (payload: string) => {
    let notice: Change;
    try {
      notice = JSON.parse(payload) as Change;
    } catch {
      return;
    }
    void deliver({ kind: notice.kind, id: notice.id, version: notice.version });
  };

  let transport: ChangeFeed["transport"] = "poll";
  let stopListening: () => Promise<void> = async () => undefined;
  if (redis) {
    transport = "redis";
    const subscriber = redis.duplicate();
    subscriber.on("error", () => undefined);
    subscriber.on("message", (_channel: string, payload: string) => onNotice(payload));
    // ioredis subscribes again after each reconnect; failures here leave the periodic check.
    subscriber.subscribe(channel).catch((error: unknown) => logger?.warn({ err: error }, "could not subscribe to change notices; the periodic check remains"));
    stopListening = async () => void subscriber.disconnect();
  } else if (postgresUrl) {
    transport = "postgres";
    stopListening = listenPostgres(postgresUrl, onNotice, logger);
  }

  async function notify(notice: Change) {
    const payload = JSON.stringify(notice);
    try {
      if (redis) await redis.client.publish(channel, payload);
      else if (postgresUrl) await sql`SELECT pg_notify(${CHANNEL}, ${payload})`.execute(db);
    } catch (error) {
      // The version is recorded: the others catch up at their next check.
      logger?.warn({ err: error, kind: notice.kind }, "could not send a change notice; other instances catch up at their next check");
    }
  }

  const feed: ChangeFeed = {
    transport,
    async publish(kind, id) {
      const row = await db
        .insertInto("change_versions")
        .values({ kind, version: 1, last_id: id, changed_at: now() })
        .onConflict((conflict) => conflict.column("kind").doUpdateSet({ version: sql`change_versions.version + 1`, last_id: id, changed_at: now() }))
        .returning("version")
        .executeTakeFirstOrThrow();
      const version = Number(row.version);
      seen.set(kind, Math.max(seen.get(kind) ?? 0, version));
      await notify({ kind, id, version });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async check() {
      try {
        for (const row of await versions()) await deliver({ kind: row.kind, id: row.last_id, version: Number(row.version) });
      } catch (error) {
        logger?.warn({ err: error }, "could not check the change versions; trying again at the next check");
      }
    },
    async close() {
      clearInterval(timer);
      await stopListening();
    },
  };
  const timer = setInterval(() => void feed.check(), options.checkIntervalMs ?? 30_000);
  timer.unref();
  return feed;
}

/** A dedicated connection LISTENing for notices, opened again (every 1 s) whenever it is lost. */
function listenPostgres(url: string, onNotice: (payload: string) => void, logger?: Logger): () => Promise<void> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on("notification", (message) => message.payload && onNotice(message.payload));
    const again = (error?: unknown) => {
      if (closed || client !== next) return;
      client = undefined;
      logger?.warn({ err: error }, "change notices: connection lost; listening again in 1 s (the periodic check covers the gap)");
      retry = setTimeout(() => void connect(), 1_000);
      retry.unref();
    };
    next.on("error", again);
    next.on("end", () => again());
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      again(error);
    }
  };
  void connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
