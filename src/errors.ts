/** Stable codes, so logs, tests and channels can tell errors apart without parsing messages. */
export type ErrorCode =
  | "SEEDS_MISSING"
  | "SEEDS_EMPTY"
  | "CONFIG_INVALID"
  | "CONFIG_MISSING"
  | "INDEX_CORRUPT"
  | "MODEL_UNAVAILABLE"
  | "MODEL_TIMEOUT"
  | "QUESTION_EMPTY"
  | "QUESTION_TOO_LONG"
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
