import { randomUUID } from "node:crypto";
import { type Conversations, createConversations } from "../conversation/conversations.js";
import type { RedisLink } from "./redis.js";

/**
 * WeChat conversation memory in Redis: a contact's conversation id lives under
 * its key until `idleMs` without a message, so its follow-ups continue on any
 * instance. While Redis is down, each instance keeps its own.
 */
export function sharedConversations(redis: RedisLink, name: string, { idleMs, now }: { idleMs: number; now: () => number }): Conversations {
  const fallback = createConversations({ idleMs, now });
  const keyOf = (key: string) => `${redis.prefix}conversation:${name}:${key}`;
  return {
    async idFor(key) {
      if (!redis.up) {
        redis.fellBack(`conversations ${name}`, new Error("not connected"));
        return fallback.idFor(key);
      }
      try {
        const fresh = `wechat:${key}:${randomUUID()}`;
        // Either this instance starts the conversation, or it continues the one another started.
        const started = await redis.client.set(keyOf(key), fresh, "PX", idleMs, "NX");
        if (started === "OK") return fresh;
        const [[, id]] = (await redis.client.multi().get(keyOf(key)).pexpire(keyOf(key), idleMs).exec()) as [[Error | null, string | null]];
        return id ?? fresh;
      } catch (error) {
        redis.fellBack(`conversations ${name}`, error);
        return fallback.idFor(key);
      }
    },
    async reset(key) {
      fallback.reset(key);
      try {
        if (redis.up) await redis.client.del(keyOf(key));
      } catch (error) {
        redis.fellBack(`conversations ${name}`, error);
      }
    },
  };
}
