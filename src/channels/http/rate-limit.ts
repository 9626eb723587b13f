/** A fixed-window counter per client: small, and enough to keep one caller from starving the rest. */
export function createRateLimiter(limit: number, windowMs = 60_000, now = () => Date.now()) {
  const windows = new Map<string, { start: number; count: number }>();
  return function allow(client: string): { ok: boolean; retryAfterSeconds: number } {
    const t = now();
    let window = windows.get(client);
    if (!window || t - window.start >= windowMs) {
      if (windows.size > 10_000) windows.clear();
      window = { start: t, count: 0 };
      windows.set(client, window);
    }
    window.count++;
    return { ok: window.count <= limit, retryAfterSeconds: Math.ceil((window.start + windowMs - t) / 1000) };
  };
}
