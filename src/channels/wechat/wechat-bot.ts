import type { Logger } from "pino";
import { types } from "wechaty";
import type { ContactInterface, MessageInterface, RoomInterface, WechatyInterface } from "wechaty/impls";
import type { Ask } from "../../core/ask.js";
import type { KnowledgeBase } from "../../core/knowledge-base.js";
import { AppError } from "../../errors.js";
import type { Store } from "../../store/sqlite-store.js";
import { createRateLimiter } from "../rate-limit.js";
import { splitAtBoundaries } from "../split-text.js";
import { answerPlainText } from "./render.js";

export interface WechatBotOptions {
  bot: WechatyInterface;
  ask: Ask;
  store: Store;
  knowledgeBase: KnowledgeBase;
  logger?: Logger;
  /** Group names the bot answers in; empty means every group. */
  rooms?: string[];
  /** A prefix that also addresses the bot in groups, besides an @mention. */
  trigger?: string;
  maxMessageChars?: number;
  /** Pause between the parts of a split reply, and between any two sends. */
  sendIntervalMs?: number;
  perContactPerMinute?: number;
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
export const RATE_LIMITED_TEXT = "您的提问有点频繁，请稍等一分钟再问。紧急情况可拨打12345政务服务便民热线。";
const APOLOGY = "抱歉，查询时出了问题，请稍后再试，或拨打12345政务服务便民热线。";

/**
 * Wires a Wechaty bot to `ask`: private messages are questions; in groups only
 * an @mention or the trigger prefix is. Replies are plain text, split when long,
 * sent through one paced queue so the account is never flooded.
 */
export function attachWechatBot(options: WechatBotOptions): { stop(): void } {
  const { bot, ask, store, knowledgeBase, logger, rooms = [], trigger } = options;
  const {
    maxMessageChars = 1500,
    sendIntervalMs = 400,
    perContactPerMinute = 6,
    conversationIdleMs = 30 * 60_000,
    maxMessageAgeSeconds = 120,
    now = Date.now,
  } = options;
  const shortTitles = new Map(knowledgeBase.corpus.documents.map((d) => [d.id, d.shortTitle]));
  const allow = createRateLimiter(perContactPerMinute, 60_000, now);
  const noticed = new Map<string, number>();
  const conversations = new Map<string, { id: string; lastAt: number }>();
  let loggedInAt = now();
  let generation = 0;

  // One queue for every send: a global pace that protects the account.
  let queue: Promise<void> = Promise.resolve();
  const send = (target: ContactInterface | RoomInterface, text: string, mention?: ContactInterface) => {
    queue = queue
      .then(async () => {
        if (mention && "topic" in target) await (target as RoomInterface).say(text, mention);
        else await target.say(text);
        await new Promise((resolve) => setTimeout(resolve, sendIntervalMs));
      })
      .catch((error) => logger?.error({ err: error }, "wechat send failed"));
    return queue;
  };

  function conversationFor(key: string, reset = false): string {
    const existing = conversations.get(key);
    if (!reset && existing && now() - existing.lastAt < conversationIdleMs) {
      existing.lastAt = now();
      return existing.id;
    }
    const id = `wechat:${key}:${++generation}:${now()}`;
    conversations.set(key, { id, lastAt: now() });
    return id;
  }

  async function onMessage(message: MessageInterface): Promise<void> {
    if (message.self()) return;
    if (message.date().getTime() < loggedInAt - 1000 || message.age() > maxMessageAgeSeconds) return;
    const room = message.room();
    const talker = message.talker();
    if (room) {
      if (rooms.length && !rooms.includes(await room.topic())) return;
    }
    const isText = message.type() === types.Message.Text;
    let text = isText ? message.text().trim() : "";
    if (room) {
      const mentioned = await message.mentionSelf();
      const triggered = !!trigger && text.startsWith(trigger);
      if (!mentioned && !triggered) return;
      if (mentioned) text = (await message.mentionText()).trim();
      if (triggered && text.startsWith(trigger!)) text = text.slice(trigger!.length).trim();
    }
    const target = room ?? talker;
    const mention = room ? talker : undefined;
    const key = room ? `${room.id}:${talker.id}` : talker.id;

    if (!allow(key).ok) {
      // One notice a minute, not a flood and not silence.
      if ((noticed.get(key) ?? 0) < now() - 60_000) {
        noticed.set(key, now());
        await send(target, RATE_LIMITED_TEXT, mention);
      }
      return;
    }
    if (!isText) {
      await send(target, NON_TEXT_HINT, mention);
      return;
    }
    if (!text || text === "帮助" || text === "help") {
      await send(target, HELP_TEXT, mention);
      return;
    }
    if (text === "重新开始") {
      conversationFor(key, true);
      await send(target, RESET_TEXT, mention);
      return;
    }
    const conversationId = conversationFor(key);
    try {
      const answer = await ask(text, store.history(conversationId));
      store.recordTurn({ conversationId, channel: "wechat", question: text, answer });
      const parts = splitAtBoundaries(answerPlainText(answer, shortTitles), maxMessageChars);
      for (const part of parts) await send(target, part, mention);
    } catch (error) {
      logger?.error({ err: error }, "wechat answer failed");
      await send(target, error instanceof AppError ? error.userMessage : APOLOGY, mention);
    }
  }

  const listener = (message: MessageInterface) => {
    onMessage(message).catch((error) => logger?.error({ err: error }, "wechat message handling failed"));
  };
  const onLogin = (user: ContactInterface) => {
    loggedInAt = now();
    logger?.info({ user: user.name() }, "wechat logged in");
  };
  const onLogout = (user: ContactInterface) => logger?.info({ user: user.name() }, "wechat logged out");
  const onError = (error: unknown) => logger?.error({ err: error }, "wechat error");
  bot.on("message", listener);
  bot.on("login", onLogin);
  bot.on("logout", onLogout);
  bot.on("error", onError);
  return {
    stop() {
      bot.off("message", listener);
      bot.off("login", onLogin);
      bot.off("logout", onLogout);
      bot.off("error", onError);
    },
  };
}
