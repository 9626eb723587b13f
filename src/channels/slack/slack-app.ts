import { type AnyMiddlewareArgs, App, type AppOptions, Assistant, LogLevel, type Middleware } from "@slack/bolt";
import type { Logger } from "pino";
import { localOnce, type Once } from "../../cluster/once.js";
import { namedConversations } from "../../conversation/conversations.js";
import type { Ask } from "../../core/ask.js";
import type { Channel } from "../../core/channel.js";
import { createDispatcher, type DispatchResult, type Intercept } from "../../core/dispatch.js";
import { LiveShortTitles } from "../../documents/live-short-titles.js";
import type { HandoffService } from "../../handoff/handoff-service.js";
import type { QuestionLibrary } from "../../library/question-library.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Store } from "../../store/sqlite-store.js";
import { appMention, assistantThreadStarted, assistantUserMessage, directMessage, registerClauseButtons, registerFeedback } from "./handlers.js";
import { registerSlackHandoff } from "./handoff.js";
import { openLibraryModal, registerLibraryModal } from "./library-modal.js";
import { createReply, renderSlack } from "./reply.js";

export { plainQuestion } from "./handlers.js";

export interface SlackChannelOptions {
  ask: Ask;
  store: Store;
  /** The live knowledge base, or a getter for it (`() => runtime.knowledgeBase`) so a publish is seen without a restart. */
  knowledgeBase: KnowledgeBase | (() => KnowledgeBase);
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  logger?: Logger;
  /** Show verified drafts while a model writes (only meaningful with a model). */
  streaming?: boolean;
  /** Curated questions for the Assistant's suggested prompts (src/channels/examples.json). */
  exampleQuestions: string[];
  /** Shared memory of event ids (Redis, src/cluster), so a retry landing on another instance is not answered again. */
  firstTime?: Once;
  /** The question library: 需改进 opens a modal that links the question to a clause or marks it 应拒答. */
  library?: QuestionLibrary;
  /** 转人工: 接单 / 关闭 and thread replies on the hand-off messages in SLACK_HANDOFF_CHANNEL. */
  handoffs?: { service: HandoffService; channel?: string };
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
  /** Slack user ids that may edit the library from 需改进 (SLACK_STAFF_USERS). */
  staffUsers?: readonly string[];
}

const SEEN_LIMIT = 2000;
/** Slack retries within minutes; an hour is ample. */
const SEEN_TTL_MS = 60 * 60_000;

/**
 * Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num), with the same event_id,
 * possibly to another instance; answer each event once. `firstTime` is shared (Redis) across instances.
 */
function answerEachEventOnce(firstTime: Once = localOnce(SEEN_TTL_MS, Date.now, SEEN_LIMIT)): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await firstTime(eventId))) return;
    await next();
  };
}

/**
 * The Slack assistant: Bolt's Assistant for AI threads, @mentions answered in
 * a thread, direct messages, Block Kit answers with citations, and feedback
 * buttons stored with the answer.
 */
export function createSlackApp(options: SlackChannelOptions): App {
  return buildSlackApp(options).app;
}

/** What a dispatch result becomes in Slack: escaped text, with Block Kit blocks for an answer. */
export type SlackMessage = NonNullable<ReturnType<typeof renderSlack>>;

/** The Slack assistant as a `Channel` (core/channel.ts), with the Bolt app and, once started, where it listens. */
export interface SlackChannel extends Channel<SlackMessage | undefined> {
  readonly app: App;
  /** The HTTP receiver's port and address once started; empty in Socket Mode. */
  readonly address: { port?: number; host?: string };
}

/**
 * `start` connects in Socket Mode (with `appToken`) or listens for HTTP events on `listen`, `stop` disconnects,
 * `render` gives what the replies post: Block Kit for an answer, escaped text otherwise.
 */
export function slackChannel(options: SlackChannelOptions & { listen?: { port: number; host?: string } }): SlackChannel {
  const { app, render } = buildSlackApp(options);
  let address: SlackChannel["address"] = {};
  return {
    names: ["slack"],
    app,
    get address() {
      return address;
    },
    async start() {
      const { appToken, listen } = options;
      const server = (await (appToken || !listen ? app.start() : app.start(listen))) as
        | { address?: () => { port: number; address: string } | string | null }
        | undefined;
      const bound = typeof server?.address === "function" ? server.address() : undefined;
      address = bound && typeof bound === "object" ? { port: bound.port, host: bound.address } : {};
    },
    async stop() {
      await app.stop();
    },
    render,
  };
}

function buildSlackApp(options: SlackChannelOptions): { app: App; render: (result: DispatchResult) => SlackMessage | undefined } {
  const { store, knowledgeBase, logger } = options;
  const appOptions: AppOptions = {
    token: options.botToken,
    signingSecret: options.signingSecret,
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/` } : undefined,
    logLevel: LogLevel.WARN,
    ...(options.appToken ? { socketMode: true, appToken: options.appToken } : {}),
  };
  const app = new App(appOptions);
  const current = typeof knowledgeBase === "function" ? knowledgeBase : () => knowledgeBase;
  const shortTitles = new LiveShortTitles(current);
  const dispatch = createDispatcher({
    ask: options.ask,
    store,
    conversations: namedConversations(),
    examples: options.exampleQuestions,
    intercepts: options.intercepts,
    logger,
  });
  const reply = createReply({ dispatch, shortTitles, streaming: options.streaming, logger });

  app.use(answerEachEventOnce(options.firstTime));
  app.assistant(new Assistant({ threadStarted: assistantThreadStarted(options.exampleQuestions), userMessage: assistantUserMessage(reply, logger) }));
  app.event("app_mention", appMention(reply, logger));
  app.message(directMessage(reply, logger));
  const modal = options.library && { library: options.library, knowledgeBase: current, staffUsers: options.staffUsers ?? [], logger };
  registerFeedback(app, store, modal && openLibraryModal(modal));
  if (modal) registerLibraryModal(app, modal);
  registerClauseButtons(app, current);
  if (options.handoffs?.channel) registerSlackHandoff(app, { service: options.handoffs.service, channel: options.handoffs.channel, logger });
  app.error(async (error) => {
    logger?.error({ err: error }, "slack app error");
  });
  return { app, render: (result) => renderSlack(result, shortTitles) };
}
