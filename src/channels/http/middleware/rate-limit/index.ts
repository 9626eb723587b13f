import type { MiddlewareHandler } from "hono";
import { createRateLimiter } from "../../../rate-limit.js";
import type { HttpEnv } from "../../env.js";

/** 429 with Retry-After once a client has made `perMinute` requests in its current minute. */
export function rateLimit({ perMinute, now = Date.now }: { perMinute: number; now?: () => number }): MiddlewareHandler<HttpEnv> {
  const allow = createRateLimiter(perMinute, 60_000, now);
  return async (c, next) => {
    const verdict = allow(c.get("client") ?? "unknown");
    if (!verdict.ok) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      return c.json({ error: `too many requests; try again in ${verdict.retryAfterSeconds} s`, retryAfterSeconds: verdict.retryAfterSeconds }, 429);
    }
    await next();
  };
}
