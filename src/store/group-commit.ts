/**
 * Group commit: writes that arrive while one is being committed wait and go
 * together in the next, as databases do with their own log. Under load every
 * answer stores a turn; one transaction per turn queued them behind kysely's
 * connection lock and cost more than the answer itself, while a batch costs
 * little more than one row. Each caller still learns its own outcome, and
 * nothing is acknowledged before the commit that holds it.
 */
export interface GroupCommit<T> {
  /** Resolves once `item` is committed; rejects with the batch's error. */
  add(item: T): Promise<void>;
}

export function groupCommit<T>(commit: (items: T[]) => Promise<void>, { maxBatch = 500 } = {}): GroupCommit<T> {
  let waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  let running = false;

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        await commit(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    running = false;
  }

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // The first write waits for the rest of this turn of the event loop, so the answers finished
        // together commit together; later ones gather behind a running commit.
        if (!running && waiting.length === 1) setImmediate(() => void drain());
      });
    },
  };
}
