import type { Logger } from "pino";
import { localRateLimiter, type RateLimiter } from "../../cluster/rate-limiter.js";
import type { Ask } from "../../core/ask.js";
import { AppError } from "../../errors.js";
import type { Channel, Store } from "../../store/sqlite-store.js";
import { APOLOGY, RATE_LIMITED_TEXT } from "../messages.js";
import { type Conversations, createConversations } from "../wechat/conversations.js";
import { renderMessages } from "../wechat/render.js";
import type { InboundMessage } from "./inbound-message.js";

/**
 * The platform cuts a text message at about 2,048 bytes. A UTF-16 unit is at most three UTF-8 bytes
 * (a surrogate pair is four bytes for two units), so 682 units always fit.
 */
export const MAX_MESSAGE_BYTES = 2048;
const MAX_MESSAGE_CHARS = Math.floor(MAX_MESSAGE_BYTES / 3);

export const RESET_TEXT = "好的，已清空之前的对话，请提出新的问题。";
export const NON_TEXT_HINT = "暂时只能看懂文字，请直接输入您的问题，例如：我的企业能减免多少检测费？";

/** Menu keys: EXAMPLE_1 … EXAMPLE_n ask the curated examples; HELP and RESTART are the commands. */
export const MENU_KEYS = { example: /^EXAMPLE_(\d+)$/, help: "HELP", restart: "RESTART" } as const;

export function welcomeText(examples: string[]): string {
  return [
    "您好，欢迎关注！我是惠企政策助手，可以回答惠企纾困、营商环境政策问题，并注明依据的文件和条款。您可以这样问：",
    ...examples.slice(0, 3).map((question) => `· ${question}`),
    "发送“重新开始”可以清空对话。",
  ].join("\n");
}

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
  maxMessageParts?: number;
  now?: () => number;
}

/**
 * What to say to one inbound message, as the text messages to send (none for
 * events that need no reply). Questions go to `ask` with the user's
 * conversation (one per user, renewed after 30 minutes idle) and are stored.
 */
export function createConversationHandler(options: ConversationHandlerOptions): (message: InboundMessage) => Promise<string[]> {
  const { ask, store, shortTitles, examples, logger, channel, now = Date.now } = options;
  const conversations = options.conversations ?? createConversations({ idleMs: options.conversationIdleMs ?? 30 * 60_000, now });
  const withinLimit = createPoliteRateLimit(options.limiter ?? localRateLimiter(options.perUserPerMinute ?? 6, 60_000, now), now);
  const limits = { maxChars: MAX_MESSAGE_CHARS, maxParts: options.maxMessageParts ?? 5 };
  const welcome = welcomeText(examples);

  async function question(key: string, text: string): Promise<string[]> {
    const conversationId = await conversations.idFor(key);
    try {
      const answer = await ask(text, await store.history(conversationId));
      await store.recordTurn({ conversationId, channel, question: text, answer });
      return renderMessages(answer, shortTitles, limits);
    } catch (error) {
      logger?.error({ err: error }, "wechat official account: answer failed");
      return [error instanceof AppError ? error.userMessage : APOLOGY];
    }
  }

  async function command(key: string, text: string): Promise<string[]> {
    if (!text || text === "帮助" || text.toLowerCase() === "help") return [welcome];
    if (text === "重新开始") {
      await conversations.reset(key);
      return [RESET_TEXT];
    }
    return question(key, text);
  }

  function menu(key: string, eventKey: string): Promise<string[]> {
    const example = MENU_KEYS.example.exec(eventKey);
    const asked = example ? examples[Number(example[1]) - 1] : undefined;
    if (asked) return question(key, asked);
    return command(key, eventKey === MENU_KEYS.restart ? "重新开始" : "帮助");
  }

  return async (message) => {
    const key = `${message.account}:${message.user}`;
    if (message.type === "event") {
      if (message.event === "subscribe") return [welcome];
      if (message.event !== "click") return [];
    }
    const limit = await withinLimit(key);
    if (limit !== "ok") return limit === "notify" ? [RATE_LIMITED_TEXT] : [];
    if (message.type === "event") return menu(key, message.eventKey ?? "");
    if (message.type !== "text") return [NON_TEXT_HINT];
    return command(key, (message.content ?? "").trim());
  };
}

/** Over the limit, one notice a minute: not a flood, and not silence. */
function createPoliteRateLimit(allow: RateLimiter, now: () => number): (key: string) => Promise<"ok" | "notify" | "silent"> {
  const noticed = new Map<string, number>();
  return async (key) => {
    if ((await allow(key)).ok) return "ok";
    if ((noticed.get(key) ?? Number.NEGATIVE_INFINITY) >= now() - 60_000) return "silent";
    noticed.delete(key);
    if (noticed.size >= 10_000) noticed.delete(noticed.keys().next().value as string);
    noticed.set(key, now());
    return "notify";
  };
}
