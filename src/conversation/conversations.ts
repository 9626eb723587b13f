/**
 * One conversation per chat key (a contact, or a contact in a group). A chat
 * idle longer than `idleMs` starts a new conversation, so a question days later
 * is not read as a follow-up of an old one.
 */
export interface Conversations {
  /** The conversation id for this key, renewed when idle; touching it counts as activity. Shared ones (Redis) are async. */
  idFor(key: string): string | Promise<string>;
  /** Forgets the key's conversation (重新开始). */
  reset(key: string): void | Promise<void>;
}

export function createConversations({ idleMs, now }: { idleMs: number; now: () => number }): { idFor(key: string): string; reset(key: string): void } {
  const byKey = new Map<string, { id: string; lastAt: number }>();
  let generation = 0;
  return {
    idFor(key) {
      const existing = byKey.get(key);
      if (existing && now() - existing.lastAt < idleMs) {
        existing.lastAt = now();
        return existing.id;
      }
      const id = `wechat:${key}:${++generation}:${now()}`;
      byKey.set(key, { id, lastAt: now() });
      return id;
    },
    reset(key) {
      byKey.delete(key);
    },
  };
}

/**
 * Conversations a platform names itself (a Slack thread, an id an API caller keeps): the key is the id
 * until 重新开始, after which the same key continues under a new one. Forgets the oldest beyond `maxKeys`.
 */
export function namedConversations({ maxKeys = 10_000 }: { maxKeys?: number } = {}): Conversations {
  const restarts = new Map<string, number>();
  return {
    idFor(key) {
      const restart = restarts.get(key);
      return restart ? `${key}~${restart}` : key;
    },
    reset(key) {
      const next = (restarts.get(key) ?? 0) + 1;
      restarts.delete(key);
      while (restarts.size >= maxKeys) restarts.delete(restarts.keys().next().value as string);
      restarts.set(key, next);
    },
  };
}
