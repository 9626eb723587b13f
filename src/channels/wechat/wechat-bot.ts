import type { Logger } from "pino";
import type { ContactInterface, MessageInterface, WechatyInterface } from "wechaty/impls";
import { localRateLimiter, type RateLimiter } from "../../cluster/rate-limiter.js";
import { type Conversations, createConversations } from "../../conversation/conversations.js";
import type { Ask } from "../../core/ask.js";
import type { Channel } from "../../core/channel.js";
import { createDispatcher, type Intercept } from "../../core/dispatch.js";
import type { Store } from "../../store/sqlite-store.js";
import { loadExampleQuestions } from "../examples.js";
import { type AddressedMessage, addressedMessage } from "./addressing.js";
import { renderWith } from "./render.js";
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
  /** Curated example questions for 帮助 and the greeting; examples.json without them. */
  examples?: readonly string[];
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
  maxMessageAgeSeconds?: number;
  now?: () => number;
}

const limitsOf = (options: WechatBotOptions) => ({ maxChars: options.maxMessageChars ?? 1500, maxParts: options.maxMessageParts ?? 5 });

/** The personal-account bot as a `Channel`: `start` listens on the bot, `stop` stops listening, `render` gives text messages. */
export function wechatyChannel(options: WechatBotOptions): Channel<string[]> {
  let attached: { stop(): void } | undefined;
  return {
    names: ["wechaty"],
    async start() {
      attached ??= attachWechatBot(options);
    },
    async stop() {
      attached?.stop();
      attached = undefined;
    },
    render: renderWith(options.shortTitles, limitsOf(options)),
  };
}

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

/** Filters each message, then hands it to the dispatcher and sends what it says. */
function createMessageHandler(options: WechatBotOptions, loggedInAt: () => number): (message: MessageInterface) => Promise<void> {
  const { rooms = [], trigger, now = Date.now, maxMessageAgeSeconds = 120 } = options;
  const send = createSendQueue({ intervalMs: options.sendIntervalMs ?? 400, logger: options.logger });
  const render = renderWith(options.shortTitles, limitsOf(options));
  const dispatch = createDispatcher({
    ask: options.ask,
    store: options.store,
    conversations: options.conversations ?? createConversations({ idleMs: options.conversationIdleMs ?? 30 * 60_000, now }),
    limiter: options.limiter ?? localRateLimiter(options.perContactPerMinute ?? 6),
    examples: options.examples ?? loadExampleQuestions(),
    intercepts: options.intercepts,
    logger: options.logger,
  });
  return async (message) => {
    const addressed = await addressedMessage(message, { rooms, trigger, loggedInAt, maxMessageAgeSeconds, now });
    if (!addressed) return;
    const { text, isText, key, room, talker } = addressed;
    const result = await dispatch(
      { text: isText ? text : undefined },
      { channel: "wechaty", userId: talker.id, conversationKey: key, replyAddress: room ? room.id : talker.id },
    );
    const reply = replyTo(addressed, send);
    for (const part of render(result)) await reply(part);
  };
}

function replyTo({ room, talker }: AddressedMessage, send: Send): Reply {
  return (text) => (room ? send(room, text, talker) : send(talker, text));
}
