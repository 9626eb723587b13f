import type { RedisLink } from "./redis.js";

/** True the first time `key` is claimed within `ttlMs`, false for every repeat: a delivery answered once. */
export type Once = (key: string) => Promise<boolean>;

/** Per-instance memory of recent keys, oldest forgotten first past `maxKeys`. */
export function localOnce(ttlMs: number, now: () => number = Date.now, maxKeys = 10_000): Once {
  const seen = new Map<string, number>();
  return async (key) => {
    const at = now();
    const earlier = seen.get(key);
    if (earlier !== undefined && at - earlier < ttlMs) return false;
    seen.delete(key);
    while (seen.size >= maxKeys) seen.delete(seen.keys().next().value as string);
    seen.set(key, at);
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
