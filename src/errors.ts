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
  | "UNKNOWN";

export class AppError extends Error {
  readonly code: ErrorCode;
  /** What a user may be shown; the message itself may hold details meant for logs. */
  readonly userMessage: string;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; userMessage?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? message;
  }

  static wrap(error: unknown): AppError {
    if (error instanceof AppError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new AppError("UNKNOWN", message, { cause: error, userMessage: "系统暂时出现问题，请稍后再试，或拨打12345政务服务便民热线。" });
  }
}

const MODEL_USER_MESSAGE = "智能问答服务暂时不可用，请稍后再试。";

/**
 * Everything a model endpoint (chat or embeddings) can make the model path
 * throw. Callers fall back on these; any other error is a bug of ours and is
 * logged as one, not reported as an outage.
 */
export class ModelError extends AppError {
  /** Whether the same request may succeed if sent again. */
  readonly isRetryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; isRetryable?: boolean } = {}) {
    super(code, message, { cause: options.cause, userMessage: MODEL_USER_MESSAGE });
    this.name = "ModelError";
    this.isRetryable = options.isRetryable ?? false;
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
