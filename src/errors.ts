/** Stable codes, so logs, tests and channels can tell errors apart without parsing messages. */
export type ErrorCode =
  | "SEEDS_MISSING"
  | "SEEDS_EMPTY"
  | "SEEDS_UNREADABLE"
  | "CONFIG_INVALID"
  | "CONFIG_MISSING"
  | "INDEX_CORRUPT"
  | "MODEL_UNAVAILABLE"
  | "MODEL_TIMEOUT"
  | "MODEL_CANCELLED"
  | "MODEL_RESPONSE_INVALID"
  | "QUESTION_EMPTY"
  | "CHANNEL_UNREACHABLE"
  | "STORE_UNAVAILABLE"
  | "INPUT_INVALID"
  | IngestErrorCode
  | DocumentsErrorCode
  | "MESSAGE_CRYPTO"
  | "UNKNOWN";

/** Why a file could not be read into a document (src/ingest/errors.ts). */
export type IngestErrorCode = "UNSUPPORTED_TYPE" | "TOO_LARGE" | "OCR_UNAVAILABLE" | "UNREADABLE" | "EMPTY";
/** Why the staff workflow refused a change (src/documents/documents-error.ts); the route chooses the HTTP status. */
export type DocumentsErrorCode = "DOCUMENT_NOT_FOUND" | "DOCUMENT_INVALID" | "DOCUMENT_CONFLICT";

/**
 * The family's marker. `instanceof` fails for an error rebuilt on the other
 * side of a worker thread or loaded from a second copy of this module; a
 * registered symbol (and, on plain objects, the `kind` brand) does not.
 */
const MARKER = Symbol.for("relief-policy-bot.app-error");
const BRAND = "app-error";

/** Passing faults: the same call may succeed later, so callers retry or answer 503 with Retry-After. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(["MODEL_UNAVAILABLE", "MODEL_TIMEOUT", "CHANNEL_UNREACHABLE", "STORE_UNAVAILABLE"]);

export interface AppErrorOptions {
  cause?: unknown;
  userMessage?: string;
  /** Whether the same request may succeed if sent again; by default, whether the code is a passing fault. */
  isRetryable?: boolean;
}

export class AppError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;
  /** What a user may be shown; the message itself may hold details meant for logs. */
  readonly userMessage: string;
  /** Whether the same request may succeed if sent again. */
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? message;
    this.isRetryable = options.isRetryable ?? RETRYABLE_CODES.has(code);
  }

  /** `instanceof AppError` asks the marker too, so existing checks hold for errors rebuilt elsewhere; subclasses keep the prototype check. */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about: AppError itself, or a subclass
    return this === AppError ? isAppError(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** Whether `value` is one of ours, wherever it was made (this thread, a worker, another copy of the module). */
  static isInstance(value: unknown): value is AppError {
    return isAppError(value);
  }

  static wrap(error: unknown): AppError {
    if (isAppError(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new AppError("UNKNOWN", message, { cause: error, userMessage: "系统暂时出现问题，请稍后再试，或拨打12345政务服务便民热线。" });
  }
}

/** Whether `value` is an AppError (or any subclass), by its marker rather than its prototype; `code` narrows to one code. */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  if (typeof value !== "object" || value === null || (value as Record<symbol, unknown>)[MARKER] !== true) return false;
  return code === undefined || (value as AppError).code === code;
}

/** An AppError as plain data, for postMessage (structured clone keeps an Error's name and message, not its class or fields). */
export interface SerializedError {
  kind?: typeof BRAND;
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  userMessage?: string;
  isRetryable?: boolean;
}

/** What a worker posts back for an error it threw: code, retryable flag and user message kept for ours. */
export function serializeError(error: unknown): SerializedError {
  const plain = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: "Error", message: String(error) };
  if (!isAppError(error)) return plain;
  return { ...plain, kind: BRAND, code: error.code, userMessage: error.userMessage, isRetryable: error.isRetryable };
}

/** The error a worker posted, rebuilt on this side: an AppError keeps its kind, code and flag; anything else is a plain Error. */
export function reviveError(serialized: SerializedError): Error {
  const error =
    serialized.kind === BRAND && serialized.code
      ? new AppError(serialized.code, serialized.message, { userMessage: serialized.userMessage, isRetryable: serialized.isRetryable })
      : new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

const MODEL_USER_MESSAGE = "智能问答服务暂时不可用，请稍后再试。";

/**
 * Everything a model endpoint (chat or embeddings) can make the model path
 * throw. Callers fall back on these; any other error is a bug of ours and is
 * logged as one, not reported as an outage.
 */
export class ModelError extends AppError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; isRetryable?: boolean } = {}) {
    super(code, message, { cause: options.cause, userMessage: MODEL_USER_MESSAGE, isRetryable: options.isRetryable ?? false });
    this.name = "ModelError";
  }
}

/** The endpoint answered with an error status, or could not be reached (no status). */
export class APICallError extends ModelError {
  readonly statusCode: number | undefined;

  constructor(message: string, options: { statusCode?: number; cause?: unknown; isRetryable?: boolean } = {}) {
    const { statusCode } = options;
    // Rate limits, timeouts, conflicts and server errors may pass on a retry; other 4xx will not.
    const retryable = statusCode === undefined || statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
    super("MODEL_UNAVAILABLE", message, { cause: options.cause, isRetryable: options.isRetryable ?? retryable });
    this.name = "APICallError";
    this.statusCode = statusCode;
  }
}

/** The endpoint answered, but not with a usable reply: cut off, unfinished, malformed or too long. */
export class ModelResponseError extends ModelError {
  constructor(
    readonly reason: "incomplete" | "too-long" | "malformed",
    message: string,
    options: { cause?: unknown } = {},
  ) {
    // A reply cut off in transit may come whole next time; one that ran too long will run too long again.
    super("MODEL_RESPONSE_INVALID", message, { cause: options.cause, isRetryable: reason !== "too-long" });
    this.name = "ModelResponseError";
  }
}

/** The answer's time budget ran out. */
export class ModelTimeoutError extends ModelError {
  constructor(timeoutMs: number, options: { cause?: unknown } = {}) {
    super("MODEL_TIMEOUT", `the model did not answer within ${timeoutMs} ms`, { cause: options.cause });
    this.name = "ModelTimeoutError";
  }
}

/** The caller went away (a closed stream); nobody is waiting for the answer. */
export class ModelCancelledError extends ModelError {
  constructor(options: { cause?: unknown } = {}) {
    super("MODEL_CANCELLED", "the model call was cancelled by its caller", { cause: options.cause });
    this.name = "ModelCancelledError";
  }
}

/** The breaker is open: the endpoint failed repeatedly and is not asked for a while. */
export class CircuitOpenError extends ModelError {
  constructor(endpoint = "the model endpoint") {
    super("MODEL_UNAVAILABLE", `${endpoint} is failing; answering without it for now`);
    this.name = "CircuitOpenError";
  }
}

export type RetryReason = "maxRetriesExceeded" | "errorNotRetryable";

/** Every attempt failed; keeps each attempt's error, oldest first, and why it stopped trying. */
export class RetryError extends ModelError {
  readonly reason: RetryReason;
  readonly errors: unknown[];

  constructor({ reason, errors }: { reason: RetryReason; errors: unknown[] }) {
    const last = errors.at(-1);
    const why =
      reason === "maxRetriesExceeded" ? `failed after ${errors.length} attempts` : `failed with an error that is not retryable after ${errors.length} attempts`;
    super("MODEL_UNAVAILABLE", `${why}; last error: ${last instanceof Error ? last.message : String(last)}`, { cause: last });
    this.name = "RetryError";
    this.reason = reason;
    this.errors = errors;
  }

  get lastError(): unknown {
    return this.errors.at(-1);
  }
}

/** The database could not be reached after retries: the caller answers 503 and the client tries again later. */
export class StoreUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("STORE_UNAVAILABLE", message, { cause: options.cause, userMessage: "数据库暂时无法访问，请稍后再试。" });
    this.name = "StoreUnavailableError";
  }
}
