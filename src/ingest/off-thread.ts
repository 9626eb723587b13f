import { Worker } from "node:worker_threads";
import { IngestError, type IngestErrorCode } from "./errors.js";
import { type IngestInput, type IngestResult, type PreparedDocument, type parseText, readByOcr } from "./ingest.js";
import { DEFAULT_UPLOAD_LIMITS } from "./limits.js";
import { ReadStoppedError } from "./ocr.js";
import { toPagedText } from "./text-layout.js";

/** What the main thread asks the upload reader (read-worker.ts). */
export type ReadRequest =
  | { id: number; kind: "prepare"; input: Omit<IngestInput, "ocr" | "onProgress" | "signal"> }
  | { id: number; kind: "parse"; read: Parameters<typeof parseText>[0] };

export type ReadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string; code?: IngestErrorCode } };

type Unsent<T> = T extends unknown ? Omit<T, "id"> : never;

/** A reader is kept this long after its last file, so a batch of uploads starts it once (~0.5–1 s under tsx). */
const IDLE_MS = 120_000;

let worker: Worker | undefined;
/** The memory limit the running reader was started with: a read asking for another starts a reader of its own. */
let workerMemoryMb = 0;
let idleTimer: NodeJS.Timeout | undefined;
let queue: Promise<unknown> = Promise.resolve();
let requests = 0;

function startWorker(memoryMb: number): Worker {
  const started = new Worker(new URL("./read-worker.mjs", import.meta.url), { name: "upload-reader", resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
  // An error with no read waiting must not become an uncaught one in this process.
  started.on("error", () => undefined);
  started.once("exit", () => {
    if (worker === started) worker = undefined;
  });
  return started;
}

/**
 * Runs one step of reading a file in the upload reader, one file at a time in
 * a process. The time limit counts from when the file's turn comes; past it, or
 * when `signal` aborts, the reader is ended (the next file starts a new one).
 * A reader that dies (out of memory) fails this file only, saying so.
 */
function inWorker<T>(request: Unsent<ReadRequest>, name: string, options: { timeoutMs: number; memoryMb: number; signal?: AbortSignal }): Promise<T> {
  const run = queue.then(
    () =>
      new Promise<T>((resolve, reject) => {
        if (options.signal?.aborted) return reject(new ReadStoppedError(name));
        clearTimeout(idleTimer);
        if (worker && workerMemoryMb !== options.memoryMb) {
          void worker.terminate();
          worker = undefined;
        }
        worker ??= startWorker(options.memoryMb);
        workerMemoryMb = options.memoryMb;
        const current = worker;
        current.ref();
        const id = ++requests;
        const end = (outcome: () => void, terminate = false) => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          current.off("message", onMessage).off("error", onError).off("exit", onExit);
          if (terminate) {
            // The next file must not be sent to a reader that is ending.
            if (worker === current) worker = undefined;
            void current.terminate();
          }
          outcome();
        };
        const onMessage = (reply: ReadReply) => {
          if (reply.id !== id) return;
          end(() => (reply.ok ? resolve(reply.value as T) : reject(revive(reply.error, name))));
        };
        const onError = (error: Error & { code?: string }) => {
          const message =
            error.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? `${name}：读取时所需内存超过 ${options.memoryMb} MB，已停止；请拆分或另存为更小的文件后再上传`
              : `${name}：读取时出错，已停止（${error.message}）`;
          end(() => reject(new IngestError(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "TOO_LARGE" : "UNREADABLE", message, { cause: error })), true);
        };
        const onExit = (code: number) => end(() => reject(new IngestError("UNREADABLE", `${name}：读取线程意外退出（代码 ${code}），已停止`)));
        const onAbort = () => end(() => reject(new ReadStoppedError(name)), true);
        const timer = setTimeout(
          () => end(() => reject(new IngestError("TOO_LARGE", `${name}：读取超过 ${options.timeoutMs / 1000} 秒仍未完成，已停止；请拆分后分别上传`)), true),
          options.timeoutMs,
        );
        options.signal?.addEventListener("abort", onAbort, { once: true });
        current.on("message", onMessage).on("error", onError).on("exit", onExit);
        current.postMessage({ ...request, id });
      }),
  );
  queue = run.catch(() => undefined);
  return run.finally(() => {
    const idle = worker;
    if (!idle) return;
    // Idle, it must not keep the process alive.
    idle.unref();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void idle.terminate(), IDLE_MS).unref();
  });
}

/** The worker's error as this thread would have thrown it: an IngestError keeps its code; anything else names the file. */
function revive({ name: errorName, message, stack, code }: Extract<ReadReply, { ok: false }>["error"], file: string): Error {
  const error = code ? new IngestError(code, message) : new IngestError("UNREADABLE", `${file}：无法读取（${message}）`);
  if (code) error.name = errorName;
  if (stack) error.stack = stack;
  return error;
}

/** The upload reader's process-wide state, for tests that end it. */
export function activeUploadReader(): Worker | undefined {
  return worker;
}

/** `prepareDocument` in the upload reader: every bound checked, the text layer, Word file or web page read and parsed there. */
export function prepareOffThread(input: IngestInput): Promise<PreparedDocument> {
  const limits = input.limits ?? DEFAULT_UPLOAD_LIMITS;
  const { name, bytes, sourceFile } = input;
  return inWorker<PreparedDocument>({ kind: "prepare", input: { name, bytes, sourceFile, limits } }, name, {
    timeoutMs: limits.readTimeoutMs,
    memoryMb: limits.readMemoryMb,
    signal: input.signal,
  });
}

/**
 * `ingestDocument` with the reading off this thread: the upload reader reads
 * and parses; OCR's programs run as child processes that this thread only
 * waits on, and are killed when `signal` aborts.
 */
export async function ingestOffThread(input: IngestInput): Promise<IngestResult> {
  const limits = input.limits ?? DEFAULT_UPLOAD_LIMITS;
  const prepared = await prepareOffThread(input);
  if (!prepared.needsOcr) return prepared.result;
  const pages = await readByOcr(input, prepared);
  const read = {
    name: input.name,
    sourceFile: input.sourceFile ?? input.name,
    format: prepared.format,
    ocr: true,
    text: toPagedText({ pages }),
    warnings: [],
    maxMeasures: limits.maxMeasures,
  };
  return inWorker<IngestResult>({ kind: "parse", read }, input.name, { timeoutMs: limits.readTimeoutMs, memoryMb: limits.readMemoryMb, signal: input.signal });
}
