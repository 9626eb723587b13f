import type { AllMiddlewareArgs, App, AssistantThreadStartedMiddleware, AssistantUserMessageMiddleware, SlackEventMiddlewareArgs, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { APOLOGY, greetingText } from "../../core/messages.js";
import { AppError } from "../../errors.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Store } from "../../store/sqlite-store.js";
import { escapeMrkdwn } from "./render.js";
import { type Reply, SEARCHING } from "./reply.js";

const CLAUSE_TEXT_LIMIT = 3900;

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

/** Bolt's ignoreSelf only drops the app's own messages; other bots (and integrations) are dropped here. */
const fromBot = (message: object) => "bot_id" in message && !!message.bot_id;

const userOf = (message: object) => ("user" in message && typeof message.user === "string" ? message.user : undefined);

/** Assistant threads: curated example prompts when one opens, an answer for each message in it. */
export function assistantThreadStarted(exampleQuestions: string[]): AssistantThreadStartedMiddleware {
  return async ({ say, setSuggestedPrompts }) => {
    await say(greetingText(exampleQuestions));
    // Slack shows at most four prompts; they come from the curated list, never from what others asked.
    const prompts = exampleQuestions.slice(0, 4).map((q) => ({ title: q.slice(0, 30), message: q }));
    if (prompts.length) await setSuggestedPrompts({ prompts, title: "可以这样问：" });
  };
}

export function assistantUserMessage(reply: Reply, logger?: Logger): AssistantUserMessageMiddleware {
  return async ({ message, client, setStatus, setTitle, say }) => {
    if (!("text" in message) || !message.text || fromBot(message)) return;
    const question = plainQuestion(message.text);
    try {
      await setStatus(SEARCHING);
      await setTitle(question.slice(0, 60));
      await reply(client, { channel: message.channel, threadTs: (message as { thread_ts: string }).thread_ts, user: userOf(message) }, question);
    } catch (error) {
      logger?.error({ err: error }, "slack assistant answer failed");
      await say(error instanceof AppError ? error.userMessage : APOLOGY);
    }
  };
}

export function appMention(reply: Reply, logger?: Logger) {
  return async ({ event, client }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs) => {
    if (event.bot_id) return;
    const threadTs = event.thread_ts ?? event.ts;
    const question = plainQuestion(event.text);
    try {
      await reply(client, { channel: event.channel, threadTs, user: event.user }, question);
    } catch (error) {
      logger?.error({ err: error }, "slack mention answer failed");
      await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, text: APOLOGY });
    }
  };
}

/** Direct messages outside an assistant thread (the Assistant takes those in threads). */
export function directMessage(reply: Reply, logger?: Logger) {
  return async ({ message, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    if (message.channel_type !== "im" || message.subtype || !("text" in message) || !message.text || fromBot(message)) return;
    if ("thread_ts" in message && message.thread_ts) return;
    try {
      await reply(client, { channel: message.channel, threadTs: message.ts, user: userOf(message) }, plainQuestion(message.text));
    } catch (error) {
      logger?.error({ err: error }, "slack direct message answer failed");
      await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: APOLOGY });
    }
  };
}

const FEEDBACK_REPLY = { stored: "感谢反馈！", "already-rated": "您已评价过这条答案。", "unknown-answer": "没有找到这条答案，反馈未记录。" } as const;

/** What 需改进 may open besides storing the rating: the question library's modal (library-modal.ts). */
export type OnRatedDown = (input: { client: webApi.WebClient; triggerId: string; answerId: string; channel?: string; user?: string }) => Promise<void>;

/** 有帮助 / 需改进: one rating per Slack user per answer; 需改进 then opens `onRatedDown` (the library's modal) when given. */
export function registerFeedback(app: App, store: Store, onRatedDown?: OnRatedDown): void {
  for (const rating of ["up", "down"] as const) {
    app.action(`feedback_${rating}`, async ({ ack, action, body, client }) => {
      await ack();
      const answerId = "value" in action ? String(action.value) : "";
      const outcome = await store.rate({ answerId, rating, client: `slack:${body.user.id}` });
      const channel = body.channel?.id;
      // A trigger id lives 3 s: the modal opens before anything else is sent.
      const triggerId = (body as { trigger_id?: string }).trigger_id;
      if (rating === "down" && onRatedDown && triggerId && outcome !== "unknown-answer")
        await onRatedDown({ client, triggerId, answerId, channel, user: body.user.id });
      if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text: FEEDBACK_REPLY[outcome] });
    });
  }
}

/** 查看原文: the clause's full text, to the one who asked for it. */
export function registerClauseButtons(app: App, knowledgeBase: () => KnowledgeBase): void {
  app.action(/^show_clause_\d+$/, async ({ ack, action, body, client }) => {
    await ack();
    const measure = knowledgeBase().measuresById.get("value" in action ? String(action.value) : "");
    const channel = body.channel?.id;
    if (!channel) return;
    const text = measure ? `*${escapeMrkdwn(measure.path.join(" › "))}*\n${escapeMrkdwn(measure.text)}` : "没有找到这条条款。";
    await client.chat.postEphemeral({ channel, user: body.user.id, text: text.slice(0, CLAUSE_TEXT_LIMIT) });
  });
}
