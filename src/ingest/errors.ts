import { AppError, type IngestErrorCode, isAppError } from "../errors.js";

export type { IngestErrorCode };

const INGEST_CODES: ReadonlySet<string> = new Set<IngestErrorCode>(["UNSUPPORTED_TYPE", "TOO_LARGE", "OCR_UNAVAILABLE", "UNREADABLE", "EMPTY"]);

/** Why a file could not be read into a document; `message` is meant for the staff member who uploaded it. */
export class IngestError extends AppError {
  declare readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause, isRetryable: code === "OCR_UNAVAILABLE" });
    this.name = "IngestError";
  }
}

/** Whether `value` is a reading failure (an IngestError, or one rebuilt from a worker's reply), by its marker and code. */
export function isIngestError(value: unknown): value is IngestError {
  return isAppError(value) && INGEST_CODES.has(value.code);
}
