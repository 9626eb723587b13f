import type { Logger } from "pino";
import type { ContactInterface, MessageInterface, WechatyInterface } from "wechaty/impls";
import { localRateLimiter, type RateLimiter } from "../../cluster/rate-limiter.js";
import type { Ask } from "../../core/ask.js";
import { AppError } from "../../errors.js";
import type { Store } from "../../store/sqlite-store.js";
import { APOLOGY, RATE_LIMITED_TEXT } from "../messages.js";
import { type AddressedMessage, addressedMessage } from "./addressing.js";
import { type Conversations, createConversations } from "./conversations.js";
import { renderMessages } from "./render.js";
import { createSendQueue, type Send } from "./send-queue.js";

export interface WechatBotOptions {
  bot: WechatyInterface;
  ask: Ask;
  store: Pick<Store, "history" | "recordTurn">;
  /** Document id → short title, for the 【依据】 lines. */
  shortTitles: ReadonlyMap<string, string>;
  logger?: Logger;
  /** Group names the bot answers in; empty means every group. */
  rooms?: string[];
  /** A prefix that also addresses the bot in groups, besides an @mention. */
  trigger?: string;
  maxMessageChars?: number;
  /** Messages one answer may take; a longer answer is cut with a line saying so. */
  maxMessageParts?: number;
  /** Pause between the parts of a split reply, and between any two sends. */
  sendIntervalMs?: number;
  perContactPerMinute?: number;
  /** Shared conversations (Redis, src/cluster); one per contact in this process without it. */
  conversations?: Conversations;
  /** A shared per-contact limit (Redis); per instance without it. */
  limiter?: RateLimiter;
  conversationIdleMs?: number;
  maxMessageAgeSeconds?: number;
  now?: () => number;
}

export const HELP_TEXT = [
  "您好，我是惠企政策助手，可以回答惠企纾困、营商环境政策问题，并注明依据的文件和条款。例如：",
  "· 我的企业能减免多少检测费？",
  "· 个体工商户歇业最长能保留多久？",
  "· 克拉玛依二手房水电气暖能联合过户吗？",
  "发送“重新开始”可以清空对话。",
].join("\n");
export const NON_TEXT_HINT = "暂时只能看懂文字，请直接输入您的问题，例如：我的企业能减免多少检测费？";
export const RESET_TEXT = "好的，已清空之前的对话，请提出新的问题。";

/** Replies to one addressed message, in the chat it came from. */
type Reply = (text: string) => Promise<void>;

/**
 * Wires a Wechaty bot to `ask`: private messages are questions; in groups only
 * an @mention or the trigger prefix is. Replies are plain text, split when long,
 * sent through one paced queue so the account is never flooded.
 */
export function attachWechatBot(options: WechatBotOptions): { stop(): void } {
  const { bot, logger, now = Date.now } = options;
  let loggedInAt = now();
  const handle = createMessageHandler(options, () => loggedInAt);
  const listeners = {
    message: (message: MessageInterface) => {
      handle(message).catch((error) => logger?.error({ err: error }, "wechat message handling failed"));
    },
    login: (user: ContactInterface) => {
      loggedInAt = now();
      logger?.info({ user: user.name() }, "wechat logged in");
    },
    logout: (user: ContactInterface) => logger?.info({ user: user.name() }, "wechat logged out"),
  };
  bot.on("message", listeners.message);
  bot.on("login", listeners.login);
  bot.on("logout", listeners.logout);
  return {
    stop() {
      bot.off("message", listeners.message);
      bot.off("login", listeners.login);
      bot.off("logout", listeners.logout);
    },
  };
}

/** Filters, rate-limits and dispatches each message: commands, hints, or a question. */
function createMessageHandler(options: WechatBotOptions, loggedInAt: () => number): (message: MessageInterface) => Promise<void> {
  const { rooms = [], trigger, now = Date.now, maxMessageAgeSeconds = 120 } = options;
  const send = createSendQueue({ intervalMs: options.sendIntervalMs ?? 400, logger: options.logger });
  const withinLimit = createPoliteRateLimit(options.limiter ?? localRateLimiter(options.perContactPerMinute ?? 6, 60_000, now), now);
  const conversations = options.conversations ?? createConversations({ idleMs: options.conversationIdleMs ?? 30 * 60_000, now });
  const answer = createQuestionHandler(options, (key) => conversations.idFor(key));
  return async (message) => {
    const addressed = await addressedMessage(message, { rooms, trigger, loggedInAt, maxMessageAgeSeconds, now });
    if (!addressed) return;
    const reply = replyTo(addressed, send);
    const limit = await withinLimit(addressed.key);
    if (limit !== "ok") {
      if (limit === "notify") await reply(RATE_LIMITED_TEXT);
      return;
    }
    const { text, isText, key } = addressed;
    if (!isText) return reply(NON_TEXT_HINT);
    if (!text || text === "帮助" || text === "help") return reply(HELP_TEXT);
    if (text === "重新开始") {
      await conversations.reset(key);
      return reply(RESET_TEXT);
    }
    await answer(addressed, reply);
  };
}

function replyTo({ room, talker }: AddressedMessage, send: Send): Reply {
  return (text) => (room ? send(room, text, talker) : send(talker, text));
}

/** Over the limit, one notice a minute: not a flood, and not silence. */
function createPoliteRateLimit(allow: RateLimiter, now: () => number): (key: string) => Promise<"ok" | "notify" | "silent"> {
  const noticed = new Map<string, number>();
  return async (key) => {
    if ((await allow(key)).ok) return "ok";
    if ((noticed.get(key) ?? 0) >= now() - 60_000) return "silent";
    noticed.set(key, now());
    return "notify";
  };
}

function createQuestionHandler(options: WechatBotOptions, conversationFor: (key: string) => string | Promise<string>) {
  const { ask, store, shortTitles, logger } = options;
  const limits = { maxChars: options.maxMessageChars ?? 1500, maxParts: options.maxMessageParts ?? 5 };
  return async ({ text, key }: AddressedMessage, reply: Reply): Promise<void> => {
    const conversationId = await conversationFor(key);
    try {
      const answer = await ask(text, await store.history(conversationId));
      await store.recordTurn({ conversationId, channel: "wechaty", question: text, answer });
      for (const part of renderMessages(answer, shortTitles, limits)) await reply(part);
    } catch (error) {
      logger?.error({ err: error }, "wechat answer failed");
      await reply(error instanceof AppError ? error.userMessage : APOLOGY);
    }
  };
}
