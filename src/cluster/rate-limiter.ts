import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RedisLink } from "./redis.js";

export interface RateLimitVerdict {
  ok: boolean;
  retryAfterSeconds: number;
}

/** Counts one request for `key` against its limit: the same verdict on every instance when shared. */
export type RateLimiter = (key: string) => Promise<RateLimitVerdict>;

/** Whole seconds to wait, at least one: what Retry-After says. */
export const secondsUntil = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** One point of `key`: rate-limiter-flexible resolves within the limit and rejects with a RateLimiterRes past it. */
export async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<RateLimitVerdict> {
  try {
    const result = await limiter.consume(key);
    return { ok: true, retryAfterSeconds: secondsUntil(result.msBeforeNext) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: secondsUntil(rejection.msBeforeNext) };
    throw rejection;
  }
}

/**
 * A fixed window per key in this process (rate-limiter-flexible's memory limiter): the window opens at a
 * key's first request and the key is forgotten when it closes, so memory holds only the keys of the last
 * window. Its clock is the system's; tests move it with vi.setSystemTime.
 */
export function localRateLimiter(limit: number, windowMs = 60_000): RateLimiter {
  const limiter = new RateLimiterMemory({ points: limit, duration: Math.max(1, Math.round(windowMs / 1000)) });
  return (key) => consumeOne(limiter, key);
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
      return await consumeOne(limiter, key);
    } catch (error) {
      // Both Redis and the insurance failed: let the request through rather than refuse everyone.
      redis.fellBack(`rate limit ${name}`, error);
      return { ok: true, retryAfterSeconds: 1 };
    }
  };
}
