import { parentPort } from "node:worker_threads";
import { DocumentsError } from "../src/documents/documents-error.js";
import { StoreUnavailableError, serializeError } from "../src/errors.js";
import { IngestError } from "../src/ingest/errors.js";

const throwers: Record<string, () => never> = {
  ingest: () => {
    throw new IngestError("TOO_LARGE", "扫描件.pdf：共 900 页，超过每个文件 500 页的上限");
  },
  documents: () => {
    throw new DocumentsError("DOCUMENT_CONFLICT", "doc-1 is an old version");
  },
  store: () => {
    throw new StoreUnavailableError("PostgreSQL did not answer");
  },
  plain: () => {
    throw new TypeError("not one of ours");
  },
};

parentPort!.on("message", (kind: string) => {
  try {
    throwers[kind]();
  } catch (error) {
    parentPort!.postMessage(serializeError(error));
  }
});
