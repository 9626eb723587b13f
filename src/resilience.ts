import { AsyncLocalStorage } from "node:async_hooks";
import { CircuitOpenError, ModelCancelledError, ModelError, ModelTimeoutError, RetryError } from "./errors.js";

export interface ResilienceOptions {
  /** No call waits longer than this, retries included, unless an answer's shared deadline is set. */
  timeoutMs: number;
  retries?: number;
  baseDelayMs?: number;
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before one trial request. */
  cooldownMs?: number;
  /** Names the endpoint in errors and logs. */
  endpoint?: string;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** What one attempt gets: the signal to pass on, and a way to say output already left (so it is not retried). */
export interface Attempt {
  signal: AbortSignal;
  markStreamed(): void;
}

interface Deadline {
  signal: AbortSignal;
  timeoutMs: number;
}

// One answer makes several calls (follow-up rewrite, embedding, answer, repair) through layers that do not
// pass a signal to each other; the answer's deadline travels with the async context instead.
const answerDeadline = new AsyncLocalStorage<Deadline>();

/** Runs `task` with one deadline shared by every resilient call made inside it. */
export function withDeadline<T>(timeoutMs: number, task: () => Promise<T>): Promise<T> {
  return answerDeadline.run({ signal: AbortSignal.timeout(timeoutMs), timeoutMs }, task);
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A time budget, retries with exponential backoff on retryable model errors,
 * and a circuit breaker, so a dead endpoint costs a user at most one timeout
 * and, while it stays dead, nothing. Errors that are not ModelErrors are bugs:
 * they pass through untouched and say nothing about the endpoint.
 */
export class Resilience {
  private failures = 0;
  private openedAt: number | undefined;

  constructor(private readonly options: ResilienceOptions) {}

  get open(): boolean {
    const { cooldownMs = 30_000, now = Date.now } = this.options;
    return this.openedAt !== undefined && now() - this.openedAt < cooldownMs;
  }

  async run<T>(operation: (attempt: Attempt) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    if (this.open) throw new CircuitOpenError(this.options.endpoint);
    const { retries = 2, baseDelayMs = 200, sleep = defaultSleep } = this.options;
    const deadline = answerDeadline.getStore() ?? { signal: AbortSignal.timeout(this.options.timeoutMs), timeoutMs: this.options.timeoutMs };
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
    const errors: unknown[] = [];
    for (let attempt = 0; ; attempt++) {
      // An answer whose budget was spent before this call never reached the endpoint: not its failure.
      if (signal.aborted) throw this.stopped(callerSignal, deadline, errors.at(-1), errors.length > 0);
      let streamed = false;
      try {
        const result = await operation({ signal, markStreamed: () => (streamed = true) });
        this.failures = 0;
        this.openedAt = undefined;
        return result;
      } catch (error) {
        if (signal.aborted) throw this.stopped(callerSignal, deadline, error, true);
        if (!(error instanceof ModelError)) throw error;
        errors.push(error);
        // Text already shown to someone cannot be taken back by sending the request again.
        const retryable = error.isRetryable && !streamed;
        if (!retryable || attempt >= retries) {
          this.recordFailure();
          if (errors.length === 1) throw error;
          throw new RetryError({ reason: retryable ? "maxRetriesExceeded" : "errorNotRetryable", errors });
        }
      }
      try {
        await sleep(baseDelayMs * 2 ** attempt, signal);
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    }
  }

  /** A caller who left says nothing about the endpoint; a deadline that passed does. */
  private stopped(callerSignal: AbortSignal | undefined, deadline: Deadline, cause: unknown, endpointWasAsked: boolean): ModelError {
    if (callerSignal?.aborted) return new ModelCancelledError({ cause });
    if (endpointWasAsked) this.recordFailure();
    return new ModelTimeoutError(deadline.timeoutMs, { cause });
  }

  private recordFailure(): void {
    const { failureThreshold = 3, now = Date.now } = this.options;
    this.failures++;
    if (this.failures >= failureThreshold) this.openedAt = now();
  }
}
