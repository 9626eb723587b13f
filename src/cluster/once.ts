import { LRUCache } from "lru-cache";
import type { RedisLink } from "./redis.js";

/** True the first time `key` is claimed within `ttlMs`, false for every repeat: a delivery answered once. */
export type Once = (key: string) => Promise<boolean>;

/** Per-instance memory of recent keys, oldest forgotten first past `maxKeys`. */
export function localOnce(ttlMs: number, now: () => number = Date.now, maxKeys = 10_000): Once {
  const firstTime = recentKeys({ ttlMs, maxKeys, now });
  return async (key) => firstTime(key);
}

/**
 * True the first time a key is seen within `ttlMs`: an LRU with a time to live (lru-cache), so memory holds
 * at most `maxKeys` keys, the oldest forgotten first.
 */
export function recentKeys({ ttlMs, maxKeys, now }: { ttlMs: number; maxKeys: number; now: () => number }): (key: string) => boolean {
  // The clock is read at every check (ttlResolution 0): an injected clock may jump between two calls in the same millisecond.
  const seen = new LRUCache<string, true>({ max: maxKeys, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  return (key) => {
    if (seen.has(key)) return false;
    seen.set(key, true);
    return true;
  };
}

/**
 * Claimed in Redis with SET NX PX, so a retry landing on another instance is
 * recognised. While Redis is down, each instance remembers its own.
 */
export function sharedOnce(redis: RedisLink, name: string, ttlMs: number, now?: () => number): Once {
  const fallback = localOnce(ttlMs, now);
  return async (key) => {
    if (!redis.up) {
      redis.fellBack(`de-duplication ${name}`, new Error("not connected"));
      return fallback(key);
    }
    try {
      const claimed = await redis.client.set(`${redis.prefix}once:${name}:${key}`, "1", "PX", ttlMs, "NX");
      // Remembered locally too, so a repeat during a later outage is still caught here.
      void fallback(key);
      return claimed === "OK";
    } catch (error) {
      redis.fellBack(`de-duplication ${name}`, error);
      return fallback(key);
    }
  };
}
