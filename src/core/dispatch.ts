import type { Logger } from "pino";
import { outcomeFlags } from "../answer/compose.js";
import type { RateLimiter } from "../cluster/rate-limiter.js";
import type { Conversations } from "../conversation/conversations.js";
import { AppError } from "../errors.js";
import type { Store } from "../store/store.js";
import type { Answer } from "../types.js";
import type { Ask } from "./ask.js";
import { builtInCommands } from "./commands.js";
import type { DispatchContext, DispatchMessage, DispatchResult, Intercept, InterceptContext } from "./dispatch-types.js";
import { APOLOGY, NON_TEXT_HINT, RATE_LIMITED_TEXT } from "./messages.js";
import { createPoliteRateLimit } from "./polite-rate-limit.js";

export type { DispatchContext, DispatchMessage, DispatchResult, Intercept, InterceptContext, ReplyReason } from "./dispatch-types.js";

export interface DispatcherOptions {
  ask: Ask;
  store: Pick<Store, "history" | "recordTurn">;
  /** How this channel's conversation keys become conversation ids, and what 重新开始 forgets. */
  conversations: Conversations;
  /** Curated example questions, shown by 帮助 and the greeting (a getter when they may change). */
  examples: readonly string[] | (() => readonly string[]);
  /** Counts messages per asker; without one there is no limit here (HTTP limits in its middleware). */
  limiter?: RateLimiter;
  intercepts?: readonly Intercept[];
  logger?: Logger;
}

export type Dispatch = (message: DispatchMessage, context: DispatchContext) => Promise<DispatchResult>;

/**
 * The one path every channel takes: the polite rate limit, a hint for what is not text, the commands and
 * intercepts, then history → ask → record the turn, with the apology when anything fails. Channels only
 * translate a platform message in and render the result out.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { ask, store, conversations, examples, logger } = options;
  const withinLimit = options.limiter && createPoliteRateLimit(options.limiter);
  const intercepts = [
    ...builtInCommands({ conversations, examples: typeof examples === "function" ? examples : () => examples }),
    ...(options.intercepts ?? []),
  ];

  async function answer(question: string, context: InterceptContext): Promise<DispatchResult> {
    const { conversationId, channel } = context;
    const history = context.newConversation ? [] : await store.history(conversationId);
    // A token the writer emits once its answer is settled (given or failed) is dropped, however long
    // storing takes or the failure takes to reach the channel.
    let settled = false;
    const onToken = context.onToken && ((token: string) => settled || context.onToken?.(token));
    let result: Answer;
    try {
      result = await ask(question, history, { onToken, signal: context.signal });
    } finally {
      settled = true;
    }
    if (context.record === false) return { kind: "answer", answer: result, conversationId };
    const recorded = await store.recordTurn({ conversationId, channel, question, answer: result });
    return { kind: "answer", answer: result, conversationId, recorded };
  }

  // A message passed to a person is a turn like any other: the log and the charts count it as handed off.
  async function recordHandoff(question: string, notice: string, context: InterceptContext) {
    const reply: Answer = {
      text: notice,
      body: notice,
      notices: [],
      ...outcomeFlags("answered"),
      citations: [],
      suggestions: [],
      resolvedQuestion: question,
    };
    // The person has the message already: a log that cannot be written now does not take the reply back.
    await store
      .recordTurn({ conversationId: context.conversationId, channel: context.channel, question, answer: reply, handedOff: true })
      .catch((error) => logger?.warn({ err: error, channel: context.channel }, "could not log a hand-off turn"));
  }

  return async (message, context) => {
    try {
      if (withinLimit) {
        const limit = await withinLimit(`${context.channel}:${context.userId}`);
        if (limit === "notify") return { kind: "reply", text: RATE_LIMITED_TEXT, reason: "rate-limited" };
        if (limit === "silent") return { kind: "silent" };
      }
      if (message.text === undefined) return { kind: "reply", text: NON_TEXT_HINT, reason: "not-text" };
      const conversationId = await conversations.idFor(context.conversationKey);
      const withConversation = { ...context, conversationId };
      const text = message.text.trim();
      for (const intercept of intercepts) {
        const taken = await intercept({ ...message, text }, withConversation);
        if (taken?.kind === "reply" && taken.handedOff && context.record !== false) await recordHandoff(text, taken.text, withConversation);
        if (taken) return taken;
      }
      return await answer(text, withConversation);
    } catch (error) {
      logger?.error({ err: error, channel: context.channel }, "answer failed");
      return { kind: "failed", text: error instanceof AppError ? error.userMessage : APOLOGY, error };
    }
  };
}
