export interface RetryOptions {
  /** Tries, the first included. */
  attempts: number;
  /** The wait after the first failed try; each later wait is `factor` times the one before, never more than `maxDelayMs`. */
  firstDelayMs: number;
  /** Growth of the waits: 2 doubles them. */
  factor?: number;
  maxDelayMs?: number;
  /** Whether trying again may help; a failure that cannot get better (a bad token, a 404) is thrown at once. */
  retryable?: (error: unknown) => boolean;
  /** Told of each failure that will be tried again, before its wait: the place for a log line. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Tests pass one that records the waits instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait after failed try `attempt` (1 for the first). */
export function retryDelay(attempt: number, { firstDelayMs, factor = 2, maxDelayMs = Number.POSITIVE_INFINITY }: RetryOptions): number {
  return Math.min(firstDelayMs * factor ** (attempt - 1), maxDelayMs);
}

/**
 * Runs `operation` until it succeeds, a failure is not retryable, or the tries run out; then the last
 * failure is thrown as it was, so callers tell the kinds of failure apart as they would without a retry.
 * No wait follows the last try: a caller giving up does not sit out a backoff first.
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, retryable = () => true, onRetry, sleep = wait } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const delayMs = retryDelay(attempt, options);
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
