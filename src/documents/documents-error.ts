import { AppError, type DocumentsErrorCode, isAppError } from "../errors.js";

export type { DocumentsErrorCode };

const DOCUMENTS_CODES: ReadonlySet<string> = new Set<DocumentsErrorCode>(["DOCUMENT_NOT_FOUND", "DOCUMENT_INVALID", "DOCUMENT_CONFLICT"]);

/** Why the staff workflow refused a change; `message` is meant for the staff member. The route chooses the HTTP status. */
export class DocumentsError extends AppError {
  declare readonly code: DocumentsErrorCode;

  constructor(code: DocumentsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.name = "DocumentsError";
  }
}

/** Whether `value` is a refusal of the staff workflow, by its marker and code. */
export function isDocumentsError(value: unknown): value is DocumentsError {
  return isAppError(value) && DOCUMENTS_CODES.has(value.code);
}
