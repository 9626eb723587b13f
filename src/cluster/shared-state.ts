import type { Logger } from "pino";
import { type Conversations, createConversations } from "../conversation/conversations.js";
import { sharedConversations } from "./conversations.js";
import { localOnce, type Once, sharedOnce } from "./once.js";
import { localRateLimiter, type RateLimiter, sharedRateLimiter } from "./rate-limiter.js";
import { connectRedis, type RedisLink } from "./redis.js";

export interface SharedHealth {
  /** False while Redis is configured but unreachable: answers go on with per-instance state. */
  ok: boolean;
  mode: "redis" | "local";
  connected?: boolean;
  /** Operations that used the per-instance fallback since start. */
  fallbacks?: number;
  lastError?: string;
}

/**
 * State the instances of one deployment share: rate limits, "answer once"
 * memories (Slack events, WeChat resends) and WeChat conversations. In Redis
 * when REDIS_URL is set; in this process otherwise, which is all a single
 * instance needs.
 */
export interface SharedState {
  rateLimiter(name: string, limit: number, windowMs?: number): RateLimiter;
  once(name: string, ttlMs: number): Once;
  conversations(name: string, options: { idleMs: number; now: () => number }): Conversations;
  health(): SharedHealth;
  readonly redis?: RedisLink;
  close(): Promise<void>;
}

/** Everything in this process: the embedded default. */
export function localState(now?: () => number): SharedState {
  return {
    rateLimiter: (_name, limit, windowMs) => localRateLimiter(limit, windowMs),
    once: (_name, ttlMs) => localOnce(ttlMs, now),
    conversations: (_name, options) => createConversations(options),
    health: () => ({ ok: true, mode: "local" }),
    close: async () => undefined,
  };
}

export function redisState(redis: RedisLink): SharedState {
  return {
    redis,
    rateLimiter: (name, limit, windowMs) => sharedRateLimiter(redis, name, limit, windowMs),
    once: (name, ttlMs) => sharedOnce(redis, name, ttlMs),
    conversations: (name, options) => sharedConversations(redis, name, options),
    health: () => ({
      ok: redis.up,
      mode: "redis",
      connected: redis.up,
      fallbacks: redis.fallbacks,
      ...(redis.lastError ? { lastError: redis.lastError } : {}),
    }),
    close: () => redis.close(),
  };
}

/** Redis when configured (REDIS_URL), else this process. Never waits for Redis: until it connects, the fallback serves. */
export function openSharedState({ redis, logger }: { redis?: { url: string; keyPrefix: string }; logger?: Logger }): SharedState {
  return redis ? redisState(connectRedis({ url: redis.url, prefix: redis.keyPrefix, logger })) : localState();
}
