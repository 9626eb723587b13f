export interface RateLimitVerdict {
  ok: boolean;
  retryAfterSeconds: number;
}

/** A fixed-window counter per client: small, and enough to keep one caller from starving the rest. */
export function createRateLimiter(limit: number, windowMs = 60_000, now = () => Date.now(), maxClients = 10_000) {
  // A Map iterates in insertion order, and a window is re-inserted when it reopens, so the first key is the oldest.
  const windows = new Map<string, { start: number; count: number }>();
  return function allow(client: string): RateLimitVerdict {
    const t = now();
    let window = windows.get(client);
    if (!window || t - window.start >= windowMs) {
      windows.delete(client);
      while (windows.size >= maxClients) windows.delete(windows.keys().next().value as string);
      window = { start: t, count: 0 };
      windows.set(client, window);
    }
    window.count++;
    return { ok: window.count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - t) / 1000)) };
  };
}
