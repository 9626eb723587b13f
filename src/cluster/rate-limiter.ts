import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { createRateLimiter, type RateLimitVerdict } from "./fixed-window.js";
import type { RedisLink } from "./redis.js";

/** Counts one request for `key` against its limit: the same verdict on every instance when shared. */
export type RateLimiter = (key: string) => Promise<RateLimitVerdict>;

/** The per-instance limiter (channels/rate-limit.ts), behind the async seam. */
export function localRateLimiter(limit: number, windowMs = 60_000, now?: () => number): RateLimiter {
  const allow = createRateLimiter(limit, windowMs, now);
  return async (key) => allow(key);
}

/**
 * A limit kept in Redis (rate-limiter-flexible, atomic), so a client spending it
 * on one instance is limited on all. While Redis is down, an in-memory limiter
 * of the same size takes over on each instance (the "insurance" limiter).
 */
export function sharedRateLimiter(redis: RedisLink, name: string, limit: number, windowMs = 60_000): RateLimiter {
  const duration = Math.max(1, Math.round(windowMs / 1000));
  const insurance = new RateLimiterMemory({ points: limit, duration });
  const limiter = new RateLimiterRedis({
    storeClient: redis.client,
    keyPrefix: `${redis.prefix}limit:${name}`,
    points: limit,
    duration,
    rejectIfRedisNotReady: true,
    insuranceLimiter: insurance,
  });
  return async (key) => {
    if (!redis.up) redis.fellBack(`rate limit ${name}`, new Error("not connected"));
    try {
      const result = await limiter.consume(key);
      return { ok: true, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      // Both Redis and the insurance failed: let the request through rather than refuse everyone.
      redis.fellBack(`rate limit ${name}`, rejection);
      return { ok: true, retryAfterSeconds: 1 };
    }
  };
}
