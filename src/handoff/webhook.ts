import { createHmac } from "node:crypto";
import type { Logger } from "pino";
import { retry } from "../retry.js";

export type HandoffEvent = "create" | "claim" | "reply" | "close";

export interface WebhookOptions {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; the signed timestamp is in seconds. */
  now?: () => number;
  /** Tries per event, the first included; bounded so a dead receiver costs little. */
  attempts?: number;
  firstDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

export interface WebhookHealth {
  ok: boolean;
  delivered: number;
  /** Events given up on after every try. */
  failed: number;
  lastError?: string;
  lastFailureAt?: string;
}

/**
 * The signature a receiver recomputes: HMAC-SHA256 over `${timestamp}.${body}` with the shared secret, hex.
 * The timestamp is signed so a captured request cannot be replayed later with a new one.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The receiver answered, but not with success. */
class ReceiverStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }

  /** A 4xx other than 408/429 will not change on a retry. */
  get mayChange(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/**
 * Tells an external 12345 work-order system of each hand-off event: a JSON POST signed in X-Signature
 * (with X-Timestamp), retried with doubling waits when the receiver fails or cannot be reached; what
 * failed stays visible in /readyz until an event gets through again.
 */
export function createWebhook(options: WebhookOptions) {
  const { url, secret, fetch: fetchImpl = fetch, now = Date.now, attempts = 4, firstDelayMs = 1_000, timeoutMs = 10_000, logger } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.()));
  const health: WebhookHealth = { ok: true, delivered: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();

  async function post(event: HandoffEvent, data: unknown): Promise<void> {
    const body = JSON.stringify({ event, at: new Date(now()).toISOString(), data });
    try {
      await retry(
        async () => {
          // Signed afresh each try: a receiver refusing old timestamps accepts the retry.
          const timestamp = String(Math.floor(now() / 1000));
          const response = await fetchImpl(url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-timestamp": timestamp, "x-signature": webhookSignature(secret, timestamp, body) },
            body,
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (!response.ok) throw new ReceiverStatus(response.status);
        },
        { attempts, firstDelayMs, sleep, retryable: (error) => !(error instanceof ReceiverStatus) || error.mayChange },
      );
      health.delivered++;
      health.ok = true;
    } catch (error) {
      health.failed++;
      health.ok = false;
      health.lastError = error instanceof Error ? error.message : String(error);
      health.lastFailureAt = new Date(now()).toISOString();
      logger?.warn({ event, error: health.lastError }, "hand-off webhook failed after every try");
    }
  }

  return {
    /** Sends in the background; the caller (a staff action) does not wait for the receiver. */
    send(event: HandoffEvent, data: unknown): Promise<void> {
      const sent = post(event, data).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      return sent;
    },
    health: (): WebhookHealth => ({ ...health }),
    /** Waits for what is being sent (shutdown, tests). */
    async settle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}

export type Webhook = ReturnType<typeof createWebhook>;
