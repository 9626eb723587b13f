import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode } from "../errors.js";
import type { Manifest } from "./index-store.js";
import type { KeywordIndexData } from "./keyword-index.js";

/** What the main thread sends the build worker (build-worker.ts). */
export interface BuildRequest {
  /** Every measure's search text, end to end (one string crosses threads as one copy), and each one's length. */
  texts: string;
  lengths: Uint32Array;
  /** A remote embedder's vectors, made on the main thread, row after row; the local embedder is fitted in the worker. */
  remote?: { id: string; dimension: number; vectors: Float32Array; lengths: Uint32Array };
  /** Where the index files and the manifest go. */
  directory: string;
  /** The manifest but for what the build finds out (embedder, dimension, times, checksums). */
  manifest: Manifest;
  /** When the build began, epoch ms. */
  started: number;
}

export type BuildReply =
  | {
      ok: true;
      keyword: KeywordIndexData;
      idf?: Float32Array;
      pointOf: Uint32Array;
      /** The saved graph, for VectorIndex.read; a file of its own when saving the index failed. */
      vectorsFile: string;
      temporaryVectorsFile: boolean;
      manifest: Manifest;
      /** Why the index could not be saved (it is served all the same, and rebuilt at the next start). */
      saveError?: string;
    }
  | { ok: false; error: WorkerError };

/** An error thrown in the worker, as it crosses back. */
export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  /** An AppError's code. */
  code?: ErrorCode;
}

export type BuildResult = Extract<BuildReply, { ok: true }>;

/** A worker is kept this long after a build, so a burst of publishes starts it once (~0.5–1 s under tsx); then its memory goes. */
const IDLE_MS = 120_000;

let queue: Promise<unknown> = Promise.resolve();
let worker: Worker | undefined;
let building = false;
let idleTimer: NodeJS.Timeout | undefined;

/** The build worker while it builds (tests stop it to see a crash handled). */
export function activeBuildWorker(): Worker | undefined {
  return building ? worker : undefined;
}

/**
 * Runs one build in a worker thread, so the event loop keeps answering while it
 * runs. One build at a time in a process: a publish and a change heard from
 * another instance wait for each other rather than share two cores. An error in
 * the worker rejects with the same error (name, message, code); a worker that
 * dies rejects saying so, the process goes on, and the next build starts a new one.
 */
export function buildInWorker(request: BuildRequest, transfer: ArrayBuffer[] = []): Promise<BuildResult> {
  const run = queue.then(() => runBuild(request, transfer));
  queue = run.catch(() => undefined);
  return run;
}

function startWorker(): Worker {
  const started = new Worker(new URL("./build-worker.mjs", import.meta.url), { name: "index-build" });
  // An error with no build waiting (none is expected) must not become an uncaught one in this process.
  started.on("error", () => undefined);
  // Whatever ends it (a crash, the idle timeout), the next build starts another.
  started.once("exit", () => {
    if (worker === started) worker = undefined;
  });
  return started;
}

function runBuild(request: BuildRequest, transfer: ArrayBuffer[]): Promise<BuildResult> {
  clearTimeout(idleTimer);
  worker ??= startWorker();
  const current = worker;
  current.ref();
  building = true;
  return new Promise<BuildResult>((resolve, reject) => {
    const onMessage = (reply: BuildReply) => settle(() => (reply.ok ? resolve(reply) : reject(revive(reply.error))));
    const onError = (error: Error) => {
      settle(() => reject(error));
      void current.terminate();
    };
    const onExit = (code: number) => settle(() => reject(new Error(`the index build worker stopped (exit code ${code}) before it finished`)));
    function settle(outcome: () => void) {
      current.off("message", onMessage).off("error", onError).off("messageerror", onError).off("exit", onExit);
      building = false;
      outcome();
    }
    current.on("message", onMessage).on("error", onError).on("messageerror", onError).on("exit", onExit);
    current.postMessage(request, transfer);
  }).finally(() => {
    if (worker !== current) return;
    // Idle, it must not keep the process alive.
    current.unref();
    idleTimer = setTimeout(() => void current.terminate(), IDLE_MS).unref();
  });
}

/** The worker's error as the main thread would have thrown it: an AppError keeps its code. */
function revive({ name, message, stack, code }: WorkerError): Error {
  const error = code ? new AppError(code, message) : new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}
