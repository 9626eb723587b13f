import { RateLimiterMemory } from "rate-limiter-flexible";
import type { RateLimiter } from "../cluster/rate-limiter.js";

export type PoliteVerdict = "ok" | "notify" | "silent";

/**
 * Over the limit, one notice a minute: not a flood, and not silence. The notices are counted by
 * rate-limiter-flexible, whose keys expire after the minute, so the memory stays bounded however many ask.
 */
export function createPoliteRateLimit(allow: RateLimiter, noticeEverySeconds = 60): (key: string) => Promise<PoliteVerdict> {
  const notices = new RateLimiterMemory({ points: 1, duration: noticeEverySeconds });
  return async (key) => {
    if ((await allow(key)).ok) return "ok";
    try {
      await notices.consume(key);
      return "notify";
    } catch {
      return "silent";
    }
  };
}
