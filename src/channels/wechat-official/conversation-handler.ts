import type { Logger } from "pino";
import { localRateLimiter, type RateLimiter } from "../../cluster/rate-limiter.js";
import { type Conversations, createConversations } from "../../conversation/conversations.js";
import type { Ask } from "../../core/ask.js";
import { createDispatcher, type DispatchResult, type Intercept } from "../../core/dispatch.js";
import { greetingText } from "../../core/messages.js";
import type { Channel, Store } from "../../store/sqlite-store.js";
import { renderWith } from "../wechat/render.js";
import type { InboundMessage } from "./inbound-message.js";
import type { PassiveFallback } from "./passive-fallback.js";

/**
 * The platform cuts a text message at about 2,048 bytes. A UTF-16 unit is at most three UTF-8 bytes
 * (a surrogate pair is four bytes for two units), so 682 units always fit.
 */
export const MAX_MESSAGE_BYTES = 2048;
const MAX_MESSAGE_CHARS = Math.floor(MAX_MESSAGE_BYTES / 3);

/** Menu keys: EXAMPLE_1 … EXAMPLE_n ask the curated examples; HELP and RESTART are the commands. */
export const MENU_KEYS = { example: /^EXAMPLE_(\d+)$/, help: "HELP", restart: "RESTART" } as const;

export interface ConversationHandlerOptions {
  ask: Ask;
  store: Pick<Store, "history" | "recordTurn">;
  /** Which callback this is, as turns are stored: the 公众号 ("wechat-mp") or the 企业微信 application ("wecom"). */
  channel: Extract<Channel, "wechat-mp" | "wecom">;
  /** Document id → short title, for the 【依据】 lines. */
  shortTitles: ReadonlyMap<string, string>;
  /** Curated example questions: the welcome shows three, the menu asks them. */
  examples: string[];
  logger?: Logger;
  perUserPerMinute?: number;
  /** Shared conversations (Redis, src/cluster); one per user in this process without it. */
  conversations?: Conversations;
  /** A shared per-user limit (Redis); per instance without it. */
  limiter?: RateLimiter;
  conversationIdleMs?: number;
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
  maxMessageParts?: number;
  /** When the customer-service API cannot carry a long answer, the one passive reply carries its short form and a link. */
  passive?: PassiveFallback;
  now?: () => number;
}

/** A dispatch result as the platform's text messages: the answer, then 【依据】, cut to what one message carries. */
export function officialRender(shortTitles: ReadonlyMap<string, string>, maxParts = 5): (result: DispatchResult) => string[] {
  return renderWith(shortTitles, { maxChars: MAX_MESSAGE_CHARS, maxParts });
}

/**
 * What to say to one inbound message, as the text messages to send (none for events that need no reply).
 * A follow is greeted; a menu click is the command or example it stands for; everything else goes to the
 * dispatcher with the user's conversation (one per user, renewed after 30 minutes idle).
 */
export function createConversationHandler(options: ConversationHandlerOptions): (message: InboundMessage) => Promise<string[]> {
  const { examples, channel, now = Date.now } = options;
  const dispatch = createDispatcher({
    ask: options.ask,
    store: options.store,
    conversations: options.conversations ?? createConversations({ idleMs: options.conversationIdleMs ?? 30 * 60_000, now }),
    limiter: options.limiter ?? localRateLimiter(options.perUserPerMinute ?? 6),
    examples,
    intercepts: options.intercepts,
    logger: options.logger,
  });
  const render = officialRender(options.shortTitles, options.maxMessageParts);

  /** A menu click as what the user would have typed. */
  function menuText(eventKey: string): string {
    const example = MENU_KEYS.example.exec(eventKey);
    const asked = example ? examples[Number(example[1]) - 1] : undefined;
    return asked ?? (eventKey === MENU_KEYS.restart ? "重新开始" : "帮助");
  }

  return async (message) => {
    if (message.type === "event" && message.event === "subscribe") return [greetingText(examples)];
    if (message.type === "event" && message.event !== "click") return [];
    const text = message.type === "event" ? menuText(message.eventKey ?? "") : message.type === "text" ? (message.content ?? "") : undefined;
    // The key the conversations were kept under before the dispatcher, so a conversation survives an upgrade.
    const key = `${message.account}:${message.user}`;
    const result = await dispatch({ text }, { channel, userId: key, conversationKey: key, replyAddress: message.user });
    const parts = render(result);
    const { passive } = options;
    // Several messages need the API; without it, one whole reply: the lead, its 文号 and the full answer's link.
    if (parts.length > 1 && result.kind === "answer" && passive && !passive.apiAvailable()) return [await passive.reply(text ?? "", result.answer, false, "")];
    return parts;
  };
}
