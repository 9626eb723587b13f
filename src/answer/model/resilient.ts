import type { ChatModel, ChatRequest } from "./chat-model.js";
import { ModelHttpError } from "./chat-model.js";

export interface ResilienceOptions {
  /** No caller waits longer than this for one completion, retries included. */
  timeoutMs: number;
  retries?: number;
  baseDelayMs?: number;
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before one trial request. */
  cooldownMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export class CircuitOpenError extends Error {
  constructor() {
    super("the model endpoint is failing; answering without it for now");
    this.name = "CircuitOpenError";
  }
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Wraps a chat model with a total time budget, retries with exponential
 * backoff on 429/5xx, and a circuit breaker, so a dead endpoint costs a user
 * at most one timeout and, while it stays dead, nothing.
 */
export class ResilientChatModel implements ChatModel {
  readonly id: string;
  private failures = 0;
  private openedAt: number | undefined;

  constructor(
    private readonly inner: ChatModel,
    private readonly options: ResilienceOptions,
  ) {
    this.id = inner.id;
  }

  get open(): boolean {
    const { cooldownMs = 30_000, now = Date.now } = this.options;
    return this.openedAt !== undefined && now() - this.openedAt < cooldownMs;
  }

  async complete(request: ChatRequest): Promise<string> {
    if (this.open) throw new CircuitOpenError();
    const { timeoutMs, retries = 2, baseDelayMs = 200, sleep = defaultSleep } = this.options;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    for (let attempt = 0; ; attempt++) {
      let streamed = false;
      try {
        const text = await this.inner.complete({
          ...request,
          signal,
          onToken: request.onToken
            ? (token) => {
                streamed = true;
                request.onToken?.(token);
              }
            : undefined,
        });
        this.failures = 0;
        this.openedAt = undefined;
        return text;
      } catch (error) {
        const retryable = error instanceof ModelHttpError && error.retryable && !signal.aborted && !streamed;
        if (!retryable || attempt >= retries) {
          this.recordFailure();
          throw signal.aborted ? new ModelHttpError(undefined, `the model did not answer within ${timeoutMs} ms`) : error;
        }
        await sleep(baseDelayMs * 2 ** attempt, signal).catch(() => undefined);
        if (signal.aborted) {
          this.recordFailure();
          throw new ModelHttpError(undefined, `the model did not answer within ${timeoutMs} ms`);
        }
      }
    }
  }

  private recordFailure(): void {
    const { failureThreshold = 3, now = Date.now } = this.options;
    this.failures++;
    if (this.failures >= failureThreshold) this.openedAt = now();
  }
}
