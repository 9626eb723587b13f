/**
 * Turns on the event loop, first come first served, a few milliseconds of them per turn of the loop.
 *
 * Answering a question is synchronous CPU work. Left alone, every request that arrived together is answered
 * in one turn of the event loop, and a turn grows with the crowd (200 clients: 100–600 ms). Node 20's
 * libuv accepts one new connection per turn (libuv/libuv#3696), so under a crowd each connection waits
 * in the kernel's accept queue one long turn for every connection ahead of it: 70 of them, 10 s. Taking
 * turns keeps every turn of the loop short, so new connections are let in steadily and no one waits
 * behind more than the requests that came before it.
 */
export interface Turns {
  /** Resolves when it is this caller's turn: after everyone who asked before, and on a short turn of the loop. */
  take(): Promise<void>;
  /** Callers waiting for their turn. */
  readonly waiting: number;
}

export interface TurnsOptions {
  /** Work started in one turn of the event loop before the rest wait for the next (default 10 ms). */
  budgetMs?: number;
  now?: () => number;
}

export function createTurns({ budgetMs = 10, now = () => performance.now() }: TurnsOptions = {}): Turns {
  const waiting: Array<() => void> = [];
  let sliceStart = 0;
  let sliceOver = false;
  let openerScheduled = false;

  // Immediates queued while the check phase runs wait for the next turn, after the poll phase: so the
  // opener queued with the first deferred step starts the next slice, before any step of that turn runs.
  function open() {
    openerScheduled = false;
    sliceOver = false;
    sliceStart = now();
  }
  function schedule() {
    if (!openerScheduled) {
      openerScheduled = true;
      setImmediate(open);
    }
    setImmediate(step);
  }
  // One waiter per immediate: Node runs the microtasks between immediates, so the work a waiter starts
  // (as far as its first wait on I/O or a timer) is done and counted before the next step reads the clock.
  function step() {
    if (sliceOver || now() - sliceStart >= budgetMs) {
      sliceOver = true;
      schedule();
      return;
    }
    waiting.shift()?.();
  }

  return {
    take() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        schedule();
      });
    },
    get waiting() {
      return waiting.length;
    },
  };
}
