import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { AppError, isAppError, reviveError, type SerializedError } from "./errors.js";
import { IngestError, isIngestError } from "./ingest/errors.js";

const worker = new Worker(new URL("../test/error-worker.mjs", import.meta.url));
const thrownInWorker = (kind: string) =>
  new Promise<Error>((resolve) => {
    worker.once("message", (serialized: SerializedError) => resolve(reviveError(serialized)));
    worker.postMessage(kind);
  });

describe("one error family, known by its marker", () => {
  afterAll(() => worker.terminate());

  it("an error thrown in a worker thread arrives with its kind, code, retryable flag and user message", async () => {
    const ingest = await thrownInWorker("ingest");
    expect(isAppError(ingest)).toBe(true);
    expect(isIngestError(ingest)).toBe(true);
    expect(ingest).toMatchObject({ name: "IngestError", code: "TOO_LARGE", isRetryable: false, message: expect.stringContaining("500 页") });
    expect(await thrownInWorker("documents")).toMatchObject({ name: "DocumentsError", code: "DOCUMENT_CONFLICT" });
    const store = await thrownInWorker("store");
    expect(store).toMatchObject({ code: "STORE_UNAVAILABLE", isRetryable: true, userMessage: "数据库暂时无法访问，请稍后再试。" });
    // Code written with instanceof keeps working on the rebuilt error.
    expect(store instanceof AppError).toBe(true);
  });

  it("anything else stays a plain error: not ours, no code", async () => {
    const plain = await thrownInWorker("plain");
    expect(isAppError(plain)).toBe(false);
    expect(plain).toMatchObject({ name: "TypeError", message: "not one of ours" });
  });

  it("the marker, not the prototype: a copy made elsewhere is recognised; a look-alike without it is not", () => {
    const copy = Object.assign(Object.create(Error.prototype), { ...new IngestError("EMPTY", "x") });
    for (const symbol of Object.getOwnPropertySymbols(new AppError("UNKNOWN", "x"))) copy[symbol] = true;
    expect(isAppError(copy, "EMPTY")).toBe(true);
    expect(isAppError({ code: "EMPTY", message: "x" })).toBe(false);
    expect(new AppError("MODEL_TIMEOUT", "x").isRetryable).toBe(true);
    expect(new AppError("CONFIG_INVALID", "x").isRetryable).toBe(false);
  });
});
