import { App, type AppOptions, Assistant, LogLevel } from "@slack/bolt";
import type { Logger } from "pino";
import type { Ask } from "../../core/ask.js";
import type { KnowledgeBase } from "../../core/knowledge-base.js";
import { AppError } from "../../errors.js";
import type { Store } from "../../store/sqlite-store.js";
import type { Answer } from "../../types.js";
import { answerBlocks, escapeMrkdwn } from "./render.js";

export interface SlackChannelOptions {
  ask: Ask;
  store: Store;
  knowledgeBase: KnowledgeBase;
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  logger?: Logger;
  /** Show model drafts while they are written (only meaningful with a model). */
  streaming?: boolean;
}

const GREETING = "您好！我是惠企政策助手，可以回答减税降费、企业开办、涉企收费等惠企政策问题，并给出所依据的条款。请直接输入问题。";
const APOLOGY = "抱歉，查询时出了问题，请稍后再试；紧急情况可拨打12345政务服务便民热线。";
const DEFAULT_PROMPTS = ["我的企业能减免多少检测费？", "个体工商户歇业最长能保留多久？", "公司刻章备案要多长时间？"];
const SEEN_LIMIT = 2000;

/** Strips <@U123> mentions and Slack's link markup from a message. */
export function plainQuestion(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+>/g, "")
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

/**
 * The Slack assistant: Bolt's Assistant for AI threads, @mentions answered in
 * a thread, direct messages, Block Kit answers with citations, and feedback
 * buttons stored with the answer.
 */
export function createSlackApp(options: SlackChannelOptions): App {
  const { ask, store, knowledgeBase, logger } = options;
  const shortTitles = new Map(knowledgeBase.corpus.documents.map((d) => [d.id, d.shortTitle]));
  const appOptions: AppOptions = {
    token: options.botToken,
    signingSecret: options.signingSecret,
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/` } : undefined,
    logLevel: LogLevel.WARN,
    ...(options.appToken ? { socketMode: true, appToken: options.appToken } : {}),
  };
  const app = new App(appOptions);

  // Slack retries an event it thinks was not acknowledged; answer each event once.
  const seen = new Set<string>();
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId) {
      if (seen.has(eventId)) return;
      seen.add(eventId);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    }
    await next();
  });

  /** Asks, records, and returns the blocks; a draft is shown through `onDraft` when a model streams. */
  async function answerFor(question: string, conversationId: string, onDraft?: (text: string) => void) {
    const history = store.history(conversationId);
    let draft = "";
    const answer: Answer = await ask(question, history, {
      onToken: onDraft
        ? (token) => {
            draft += token;
            onDraft(draft);
          }
        : undefined,
    });
    const { answerId } = store.recordTurn({ conversationId, channel: "slack", question, answer });
    return { answer, blocks: answerBlocks(answer, answerId, shortTitles) };
  }

  /** Posts the answer in a thread; with a model, posts a placeholder and updates it as the draft grows. */
  async function reply(client: App["client"], channel: string, threadTs: string, question: string) {
    const conversationId = `slack:${channel}:${threadTs}`;
    if (!options.streaming) {
      const { answer, blocks } = await answerFor(question, conversationId);
      await client.chat.postMessage({ channel, thread_ts: threadTs, text: answer.text, blocks });
      return;
    }
    const placeholder = await client.chat.postMessage({ channel, thread_ts: threadTs, text: "正在查找相关条款…" });
    let last = 0;
    const { answer, blocks } = await answerFor(question, conversationId, (draft) => {
      if (Date.now() - last < 800) return;
      last = Date.now();
      client.chat.update({ channel, ts: placeholder.ts as string, text: draft }).catch(() => undefined);
    });
    await client.chat.update({ channel, ts: placeholder.ts as string, text: answer.text, blocks });
  }

  const assistant = new Assistant({
    threadStarted: async ({ say, setSuggestedPrompts }) => {
      await say(GREETING);
      const asked = store.topQuestions(4);
      const prompts = (asked.length >= 2 ? asked : DEFAULT_PROMPTS).map((q) => ({ title: q.slice(0, 30), message: q }));
      await setSuggestedPrompts({ prompts, title: "可以这样问：" });
    },
    userMessage: async ({ message, client, setStatus, setTitle, say }) => {
      if (!("text" in message) || !message.text || ("bot_id" in message && message.bot_id)) return;
      const question = plainQuestion(message.text);
      try {
        await setStatus("正在查找相关条款…");
        await setTitle(question.slice(0, 60));
        await reply(client, message.channel, (message as { thread_ts: string }).thread_ts, question);
      } catch (error) {
        logger?.error({ err: error }, "slack assistant answer failed");
        await say(error instanceof AppError ? error.userMessage : APOLOGY);
      }
    },
  });
  app.assistant(assistant);

  app.event("app_mention", async ({ event, client }) => {
    if (event.bot_id) return;
    const threadTs = event.thread_ts ?? event.ts;
    const question = plainQuestion(event.text);
    try {
      if (!question) {
        await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, text: GREETING });
        return;
      }
      await reply(client, event.channel, threadTs, question);
    } catch (error) {
      logger?.error({ err: error }, "slack mention answer failed");
      await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, text: APOLOGY });
    }
  });

  // Direct messages outside an assistant thread (the Assistant takes those in threads).
  app.message(async ({ message, client }) => {
    if (message.channel_type !== "im" || message.subtype || !("text" in message) || !message.text || "bot_id" in message) return;
    if ("thread_ts" in message && message.thread_ts) return;
    try {
      await reply(client, message.channel, message.ts, plainQuestion(message.text));
    } catch (error) {
      logger?.error({ err: error }, "slack direct message answer failed");
      await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: APOLOGY });
    }
  });

  for (const rating of ["up", "down"] as const) {
    app.action(`feedback_${rating}`, async ({ ack, action, body, client }) => {
      await ack();
      const answerId = "value" in action ? String(action.value) : "";
      const stored = store.addFeedback({ answerId, rating });
      const channel = body.channel?.id;
      if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text: stored ? "感谢反馈！" : "没有找到这条答案，反馈未记录。" });
    });
  }

  app.action(/^show_clause_\d+$/, async ({ ack, action, body, client }) => {
    await ack();
    const measure = knowledgeBase.measuresById.get("value" in action ? String(action.value) : "");
    const channel = body.channel?.id;
    if (!channel) return;
    const text = measure ? `*${escapeMrkdwn(measure.path.join(" › "))}*\n${escapeMrkdwn(measure.text)}` : "没有找到这条条款。";
    await client.chat.postEphemeral({ channel, user: body.user.id, text: text.slice(0, 3900) });
  });

  app.error(async (error) => {
    logger?.error({ err: error }, "slack app error");
  });
  return app;
}
