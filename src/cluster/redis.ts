import { Redis } from "ioredis";
import type { Logger } from "pino";

/** Redis as the shared state sees it: the client, and whether it is usable right now. */
export interface RedisLink {
  client: Redis;
  /** Every key this deployment writes starts with this (REDIS_KEY_PREFIX). */
  prefix: string;
  /** Connected and ready; while false, every shared piece answers from its per-instance fallback. */
  readonly up: boolean;
  /** Times an operation fell back to the per-instance state since start. */
  fallbacks: number;
  lastError?: string;
  /** Counts one fallback and logs the first of an outage. */
  fellBack(what: string, error: unknown): void;
  /** A second connection for subscribing (a subscribed connection can do nothing else); it queues the subscription until connected and renews it after each reconnect. */
  duplicate(): Redis;
  close(): Promise<void>;
}

/**
 * One connection for the whole instance. Commands fail at once while Redis is
 * down (no offline queue), so nothing waits on it: the caller falls back. The
 * client reconnects by itself, every 0.2–2 s; the outage and the recovery are
 * logged once each.
 */
export function connectRedis({ url, prefix, logger }: { url: string; prefix: string; logger?: Logger }): RedisLink {
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
  const client = new Redis(url, options);
  let down = false;
  const link: RedisLink = {
    client,
    prefix,
    get up() {
      return client.status === "ready";
    },
    fallbacks: 0,
    fellBack(what, error) {
      link.fallbacks++;
      link.lastError = error instanceof Error ? error.message : String(error);
      if (!down) {
        down = true;
        logger?.warn({ err: error, what }, "redis unavailable: using per-instance rate limits, de-duplication and conversations until it is back");
      }
    },
    duplicate: () => client.duplicate({ ...options, enableOfflineQueue: true, maxRetriesPerRequest: null }),
    async close() {
      client.disconnect();
    },
  };
  client.on("error", (error) => {
    link.lastError = error.message;
    if (!down) {
      down = true;
      logger?.warn({ err: error }, "redis unavailable: using per-instance rate limits, de-duplication and conversations until it is back");
    }
  });
  client.on("ready", () => {
    if (down) logger?.info("redis is back: shared state again");
    down = false;
  });
  return link;
}
