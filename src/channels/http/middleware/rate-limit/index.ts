import type { MiddlewareHandler } from "hono";
import { localRateLimiter, type RateLimiter } from "../../../../cluster/rate-limiter.js";
import type { HttpEnv } from "../../env.js";

/**
 * 429 with Retry-After once a client has made `perMinute` requests in its current minute; with a shared
 * `limiter` (Redis, src/cluster) the minute is counted across every instance.
 */
export function rateLimit({ perMinute, limiter }: { perMinute: number; limiter?: RateLimiter }): MiddlewareHandler<HttpEnv> {
  const allow = limiter ?? localRateLimiter(perMinute);
  return async (c, next) => {
    const verdict = await allow(c.get("client") ?? "unknown");
    if (!verdict.ok) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      return c.json({ error: `too many requests; try again in ${verdict.retryAfterSeconds} s`, retryAfterSeconds: verdict.retryAfterSeconds }, 429);
    }
    await next();
  };
}
