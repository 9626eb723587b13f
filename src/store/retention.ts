import type { Logger } from "pino";
import type { Store } from "./sqlite-store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  store: Store;
  /** Turns older than this many days are deleted (RETENTION_DAYS). */
  days: number;
  intervalMs?: number;
  now?: () => number;
  logger?: Logger;
}

/** Deletes old turns now and then once a day; the owner calls `stop` when it closes the store. */
export function scheduleRetention({ store, days, intervalMs = DAY_MS, now = Date.now, logger }: RetentionOptions): { stop(): void } {
  const run = async () => {
    const cutoff = new Date(now() - days * DAY_MS).toISOString();
    const deleted = await store.deleteTurnsBefore(cutoff);
    if (deleted > 0) logger?.info({ deleted, cutoff }, "deleted turns past the retention period");
  };
  // deleteTurnsBefore logs and counts its own failures and never throws.
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  // The daily run must never be what keeps a finished process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
