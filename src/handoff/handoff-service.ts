import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { QuestionLibrary } from "../library/question-library.js";
import { validateEntry } from "../library/validate-entry.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { type AuditSchema, auditMigrations, recordAudit } from "../store/audit.js";
import { applyMigrations } from "../store/database.js";
import type { Channel, Store } from "../store/store.js";
import type { Answer, Turn } from "../types.js";
import { handoffCategory } from "./category.js";
import { type DeliveryOutcome, DeliveryRegistry, deliverMessage, deliverPending } from "./delivery.js";
import type { Handoff, HandoffMessage, ReplyAddress } from "./handoff.js";
import { HandoffStore } from "./handoff-store.js";
import { NO_QUESTION } from "./messages.js";
import type { HandoffSchema } from "./tables.js";
import type { HandoffEvent, Webhook } from "./webhook.js";

/** Told of each hand-off event (the Slack message in SLACK_HANDOFF_CHANNEL); a failing listener is logged, never fatal. */
export interface HandoffListener {
  created?(handoff: Handoff): Promise<void>;
  changed?(
    handoff: Handoff,
    event: Exclude<HandoffEvent, "create">,
    detail: { actor: string; message?: HandoffMessage; outcome?: DeliveryOutcome },
  ): Promise<void>;
}

export interface HandoffServiceOptions {
  store: Pick<Store, "db" | "ready" | "history">;
  knowledgeBase: () => KnowledgeBase;
  library?: QuestionLibrary;
  /** HANDOFF_HOURS, told to the user with the queue notice. */
  hours?: string;
  webhook?: Webhook;
  registry?: DeliveryRegistry;
  logger?: Logger;
  now?: () => number;
}

export interface HandoffIntake {
  channel: Channel;
  conversationId: string;
  replyAddress: ReplyAddress;
  /** The question the user wants a person for; the latest one of the conversation when left out. */
  question?: string;
  history: Turn[];
  lastAnswer?: Answer;
}

export type ClaimOutcome = { ok: true; handoff: Handoff } | { ok: false; reason: "not-found" | "taken"; handoff?: Handoff };
export type ReplyOutcome = { ok: true; handoff: Handoff; message: HandoffMessage; outcome: DeliveryOutcome } | { ok: false; reason: "not-found" | "closed" };
export type TeachOutcome =
  | { ok: true; entryId: string }
  | { ok: false; reason: "not-found" | "no-reply" | "no-library" | "duplicate"; existingId?: string }
  | { ok: false; reason: "invalid"; field: string; error: string };

const ANSWER_CHARS_KEPT = 1000;

/**
 * Hand-offs from any channel to a person and back: created with the conversation so far (masked), claimed
 * once across instances, answered (the answer delivered on the user's channel, marked 人工回复 and never
 * stored as the bot's), closed, and taught to the question library. Each action is audited and sent to the
 * webhook and the listeners.
 */
export class HandoffService {
  readonly store: HandoffStore;
  readonly registry: DeliveryRegistry;
  readonly hours?: string;
  private readonly listeners: HandoffListener[] = [];
  private readonly ready: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: HandoffServiceOptions) {
    this.now = options.now ?? Date.now;
    this.store = new HandoffStore(options.store.db as unknown as Kysely<HandoffSchema>, () => new Date(this.now()).toISOString());
    this.registry = options.registry ?? new DeliveryRegistry();
    this.hours = options.hours;
    this.ready = options.store.ready.then(() => applyMigrations(options.store.db, auditMigrations));
    // The web console reads its messages from the store (GET /api/conversation-messages/:id): written is delivered.
    for (const channel of ["web", "api"]) this.registry.register(channel, async () => ({ ok: true }));
  }

  listen(listener: HandoffListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  get webhookHealth() {
    return this.options.webhook?.health();
  }

  /** The conversation's hand-off in progress, or a new one; `created` says which. */
  async create(input: HandoffIntake): Promise<{ handoff: Handoff; created: boolean }> {
    await this.ready;
    const active = await this.store.activeFor(input.conversationId);
    if (active) {
      await this.store.touch(input.conversationId);
      return { handoff: active, created: false };
    }
    const asked = input.question?.trim() || input.history.at(-1)?.question || "";
    const category = await handoffCategory(asked, input.lastAnswer, this.options.knowledgeBase()).catch(() => undefined);
    const lastAnswer = input.lastAnswer?.text ?? input.history.at(-1)?.answer;
    const handoff = await this.store.create({
      channel: input.channel,
      conversationId: input.conversationId,
      replyAddress: input.replyAddress,
      question: asked ? maskPersonalData(asked) : NO_QUESTION,
      transcript: input.history.map((turn) => ({
        question: maskPersonalData(turn.question),
        ...(turn.answer ? { answer: maskPersonalData(turn.answer.slice(0, ANSWER_CHARS_KEPT)) } : {}),
      })),
      lastAnswer: lastAnswer && maskPersonalData(lastAnswer.slice(0, ANSWER_CHARS_KEPT)),
      category,
    });
    await this.audit(`user:${input.channel}`, "handoff.create", handoff.id, { channel: handoff.channel, category });
    this.options.webhook?.send("create", view(handoff));
    await this.tell((listener) => listener.created?.(handoff));
    return { handoff, created: true };
  }

  /** The conversation so far, for a new hand-off. */
  history(conversationId: string): Promise<Turn[]> {
    return this.options.store.history(conversationId);
  }

  /** The user wrote again in a conversation with a hand-off in progress. */
  async touch(conversationId: string): Promise<void> {
    await this.ready;
    await this.store.touch(conversationId);
  }

  /** What staff wrote into a conversation (the web console shows it); only what was not held back. */
  async conversationMessages(conversationId: string, after?: string): Promise<HandoffMessage[]> {
    await this.ready;
    return (await this.store.conversationMessages(conversationId, after)).filter((m) => m.delivery !== "undeliverable");
  }

  /** Whether the conversation has a hand-off staff may still answer. */
  async hasActive(conversationId: string): Promise<boolean> {
    await this.ready;
    return (await this.store.activeFor(conversationId)) !== undefined;
  }

  async get(id: string): Promise<{ handoff: Handoff; messages: HandoffMessage[] } | undefined> {
    await this.ready;
    const handoff = await this.store.get(id);
    return handoff && { handoff, messages: await this.store.messages(id) };
  }

  async list(status?: "open" | "answered" | "closed"): Promise<Handoff[]> {
    await this.ready;
    return this.store.list(status);
  }

  async claim(id: string, actor: string): Promise<ClaimOutcome> {
    await this.ready;
    const handoff = await this.store.claim(id, actor);
    if (!handoff) {
      const current = await this.store.get(id);
      return { ok: false, reason: current ? "taken" : "not-found", handoff: current };
    }
    await this.audit(actor, "handoff.claim", id);
    this.options.webhook?.send("claim", view(handoff));
    await this.tell((listener) => listener.changed?.(handoff, "claim", { actor }));
    return { ok: true, handoff };
  }

  /** A person's answer to one person: sent as written, marked 人工回复; never verified, never stored as the bot's. */
  async reply(id: string, text: string, actor: string): Promise<ReplyOutcome> {
    await this.ready;
    const before = await this.store.get(id);
    if (!before) return { ok: false, reason: "not-found" };
    const handoff = await this.store.markAnswered(id, actor);
    if (!handoff) return { ok: false, reason: "closed" };
    const message = await this.store.addMessage({ handoffId: id, conversationId: handoff.conversationId, author: "staff", actor, text });
    const outcome = await deliverMessage({ store: this.store, registry: this.registry, logger: this.options.logger }, message.id, handoff, text);
    await this.audit(actor, "handoff.reply", id, { chars: text.length, delivery: outcome.delivery });
    this.options.webhook?.send("reply", { ...view(handoff), reply: { text, by: actor, delivery: outcome.delivery } });
    await this.tell((listener) => listener.changed?.(handoff, "reply", { actor, message, outcome }));
    return { ok: true, handoff, message, outcome };
  }

  async close(id: string, actor: string): Promise<Handoff | undefined> {
    await this.ready;
    const handoff = await this.store.close(id);
    if (!handoff) return undefined;
    await this.audit(actor, "handoff.close", id);
    this.options.webhook?.send("close", view(handoff));
    await this.tell((listener) => listener.changed?.(handoff, "close", { actor }));
    return handoff;
  }

  /**
   * The question and the latest staff answer become a library entry linked to the clause staff cite, verified
   * as every library answer is: an answer without a marker cites that clause as a whole ([1] at its end).
   */
  async teach(id: string, measureId: string, actor: string): Promise<TeachOutcome> {
    await this.ready;
    const { library } = this.options;
    if (!library) return { ok: false, reason: "no-library" };
    const found = await this.get(id);
    if (!found) return { ok: false, reason: "not-found" };
    const reply = found.messages.filter((m) => m.author === "staff").at(-1);
    if (!reply) return { ok: false, reason: "no-reply" };
    const answer = /\[\d+\]/.test(reply.text) ? reply.text : `${reply.text.trim()}[1]`;
    const valid = validateEntry(
      { question: found.handoff.question, measureIds: [measureId], answer, note: `人工回复（转人工 ${id}）` },
      this.options.knowledgeBase(),
    );
    if (!valid.ok) return { ok: false, reason: "invalid", field: valid.field, error: valid.error };
    const created = await library.create(valid.value, actor);
    if (!created.ok) return { ok: false, reason: "duplicate", existingId: created.reason === "duplicate" ? created.existingId : undefined };
    await this.store.setTaught(id, created.entry.id);
    await this.audit(actor, "handoff.teach", id, { entryId: created.entry.id, measureId });
    return { ok: true, entryId: created.entry.id };
  }

  /** Sends what waits for the channels this process reaches; returns how many went. */
  deliverPending(): Promise<number> {
    return this.ready.then(() => deliverPending({ store: this.store, registry: this.registry, logger: this.options.logger }));
  }

  /** Keeps sending what waits, every `intervalMs`, until stopped. */
  startDeliveryLoop(intervalMs = 5_000): { stop(): void } {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.deliverPending()
        .catch((error) => this.options.logger?.warn({ err: error }, "hand-off delivery pass failed"))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref?.();
    return { stop: () => clearInterval(timer) };
  }

  private audit(actor: string, action: string, target: string, detail?: unknown) {
    return recordAudit(this.options.store.db as unknown as Kysely<AuditSchema>, { actor, action, target, detail }, () => new Date(this.now()).toISOString());
  }

  private async tell(call: (listener: HandoffListener) => Promise<void> | undefined): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await call(listener);
      } catch (error) {
        this.options.logger?.warn({ err: error }, "hand-off listener failed");
      }
    }
  }
}

/** What the webhook and the API show of a hand-off; the reply address stays inside. */
export function view(handoff: Handoff) {
  const { replyAddress: _, slack: __, ...shown } = handoff;
  return shown;
}
