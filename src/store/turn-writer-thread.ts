import { Worker } from "node:worker_threads";
import type { TurnTable } from "./schema.js";

/*
 * better-sqlite3 is synchronous: every turn committed on the main thread held
 * up every answer behind it, and under load storing the turns cost about as
 * much as answering. So a file-backed SQLite store commits its turns on one
 * long-lived thread with its own connection to the same file (WAL lets the main
 * thread read meanwhile; the busy timeout makes either side wait for the other's
 * writes). Batches still come from the store's group commit, one at a time.
 */

export type TurnWriterRequest = { kind: "commit"; id: number; turns: TurnTable[] } | { kind: "close" };
export type TurnWriterReply = { id: number; error?: { message: string; code?: string } };

export interface TurnWriterThread {
  /** Starts the thread ahead of the first commit, which would otherwise wait the second or so it takes to load. */
  start(): void;
  /** Resolves once the turns are committed; rejects with the commit's error, or when the thread stops first. */
  commit(turns: TurnTable[]): Promise<void>;
  /** Lets the thread close its connection and end; later commits fail. */
  close(): Promise<void>;
}

/** An error that crossed from the thread, its `code` (SQLITE_READONLY…) restored. */
class TurnWriterError extends Error {
  readonly code?: string;
  constructor(message: string, code?: string) {
    super(message);
    this.name = "TurnWriterError";
    this.code = code;
  }
}

const WORKER_SCRIPT = new URL("./turn-writer-worker.mjs", import.meta.url);

/**
 * The turn writer for the SQLite file at `path`. Its thread starts with start() (once the store's migrations are
 * done) or the first commit, and again with the next commit after it stops, so a crash costs the batches it held,
 * not the writes after. `script` is the thread's entry point, for tests.
 */
export function turnWriterThread(path: string, { script = WORKER_SCRIPT }: { script?: URL } = {}): TurnWriterThread {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  function launch(): Worker {
    const started = new Worker(script, { workerData: { path }, name: "turn-writer" });
    started.on("message", (reply: TurnWriterReply) => {
      const caller = waiting.get(reply.id);
      waiting.delete(reply.id);
      // An idle thread must not keep the process alive (a CLI that never closes its store would not exit).
      if (waiting.size === 0) started.unref();
      if (reply.error) caller?.reject(new TurnWriterError(reply.error.message, reply.error.code));
      else caller?.resolve();
    });
    const stopped = (reason: string, cause?: unknown) => {
      if (worker !== started) return;
      worker = undefined;
      const error = new Error(`the turn writer thread stopped (${reason}) before it replied`, { cause });
      for (const caller of waiting.values()) caller.reject(error);
      waiting.clear();
    };
    started.on("error", (error) => stopped(error.message, error));
    started.on("exit", (code) => stopped(`exit code ${code}`));
    return started;
  }

  return {
    start() {
      if (closed || worker) return;
      worker = launch();
      // Nothing waits on it yet: loading must not hold open a process that ends before its first commit.
      worker.unref();
    },
    commit(turns) {
      if (closed) return Promise.reject(new Error("the store is closed"));
      worker ??= launch();
      worker.ref();
      const id = nextId++;
      const committed = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ kind: "commit", id, turns } satisfies TurnWriterRequest);
      return committed;
    },
    async close() {
      closed = true;
      const last = worker;
      if (!last) return;
      last.ref();
      const exited = new Promise((resolve) => last.once("exit", resolve));
      last.postMessage({ kind: "close" } satisfies TurnWriterRequest);
      await exited;
    },
  };
}
