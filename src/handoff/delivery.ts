import type { Logger } from "pino";
import type { Handoff } from "./handoff.js";
import type { HandoffStore } from "./handoff-store.js";

/** Sent; or not, and whether trying again later may help (WeChat's 48-hour window closed: it will not). */
export type DeliveryResult = { ok: true } | { ok: false; reason: string; permanent: boolean };

/** Sends one person's answer on the user's channel. */
export type Deliverer = (handoff: Handoff, text: string) => Promise<DeliveryResult>;

/**
 * The deliverers this process has: each channel registers its own when it starts (wechaty its bot's `say`,
 * the 公众号 its customer-service API, Slack a DM). A message for a channel this process cannot reach waits
 * in the store, and the process that can picks it up (deliverPending).
 */
export class DeliveryRegistry {
  private readonly deliverers = new Map<string, Deliverer>();

  register(channel: string, deliverer: Deliverer): () => void {
    this.deliverers.set(channel, deliverer);
    return () => {
      if (this.deliverers.get(channel) === deliverer) this.deliverers.delete(channel);
    };
  }

  get(channel: string): Deliverer | undefined {
    return this.deliverers.get(channel);
  }

  channels(): string[] {
    return [...this.deliverers.keys()];
  }
}

/** The label a person's answer carries on every channel, so it is never mistaken for the bot's. */
export const STAFF_REPLY_LABEL = "【人工回复】";

export interface DeliverOptions {
  store: HandoffStore;
  registry: DeliveryRegistry;
  logger?: Logger;
}

export type DeliveryOutcome = { delivery: "delivered" } | { delivery: "pending" } | { delivery: "undeliverable"; reason: string };

/** Sends one pending message if this process can; another instance or a later pass does it otherwise. */
export async function deliverMessage({ store, registry, logger }: DeliverOptions, messageId: string, handoff: Handoff, text: string): Promise<DeliveryOutcome> {
  const deliverer = registry.get(handoff.channel);
  if (!deliverer) return { delivery: "pending" };
  if (!(await store.takeForSending(messageId))) return { delivery: "pending" };
  let result: DeliveryResult;
  try {
    result = await deliverer(handoff, `${STAFF_REPLY_LABEL}${text}`);
  } catch (error) {
    result = { ok: false, reason: (error as Error).message, permanent: false };
  }
  if (result.ok) {
    await store.settleDelivery(messageId, "delivered");
    return { delivery: "delivered" };
  }
  logger?.warn({ handoff: handoff.id, channel: handoff.channel, reason: result.reason }, "hand-off reply not delivered");
  if (result.permanent) {
    await store.settleDelivery(messageId, "undeliverable", result.reason);
    return { delivery: "undeliverable", reason: result.reason };
  }
  await store.settleDelivery(messageId, "pending", result.reason);
  return { delivery: "pending" };
}

/** One pass over the messages waiting for the channels this process can reach. */
export async function deliverPending(options: DeliverOptions): Promise<number> {
  let sent = 0;
  for (const { message } of await options.store.pendingFor(options.registry.channels())) {
    const handoff = await options.store.get(message.handoffId);
    if (!handoff) continue;
    const outcome = await deliverMessage(options, message.id, handoff, message.text);
    if (outcome.delivery === "delivered") sent++;
  }
  return sent;
}
