import { parentPort } from "node:worker_threads";
import { IngestError } from "./errors.js";
import { parseText, prepareDocument } from "./ingest.js";
import type { ReadReply, ReadRequest } from "./off-thread.js";

/*
 * The upload reader (started by off-thread.ts through read-worker.mjs): reads
 * one file at a time with the code that reads it inline, so pdf.js, mammoth,
 * cheerio and the parser hold this thread, never the one answering requests,
 * and a file that runs this thread out of memory ends this thread only.
 */

async function handle(request: ReadRequest): Promise<unknown> {
  if (request.kind === "prepare") return prepareDocument(request.input);
  return parseText(request.read);
}

const port = parentPort!;
port.on("message", (request: ReadRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies ReadReply),
    (error: Error) => {
      const code = error instanceof IngestError ? error.code : undefined;
      port.postMessage({ id: request.id, ok: false, error: { name: error.name, message: error.message, stack: error.stack, code } } satisfies ReadReply);
    },
  );
});
