/** Why a file could not be read into a document; `message` is meant for the staff member who uploaded it. */
export type IngestErrorCode = "UNSUPPORTED_TYPE" | "TOO_LARGE" | "OCR_UNAVAILABLE" | "UNREADABLE" | "EMPTY";

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "IngestError";
  }
}
