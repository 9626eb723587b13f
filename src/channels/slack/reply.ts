import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { Dispatch, DispatchResult } from "../../core/dispatch.js";
import { DraftUpdates } from "./draft-updates.js";
import { answerBlocks, answerText, type Block, escapeMrkdwn } from "./render.js";

export const SEARCHING = "正在查找相关条款…";

export interface ReplyOptions {
  dispatch: Dispatch;
  shortTitles: ReadonlyMap<string, string>;
  /** Show verified drafts while a model writes (only meaningful with a model). */
  streaming?: boolean;
  logger?: Logger;
}

/** Where a message came from in Slack: the channel, its thread, and who wrote it. */
export interface SlackPlace {
  channel: string;
  threadTs: string;
  user?: string;
}

export type Reply = (client: App["client"], place: SlackPlace, question: string) => Promise<void>;

/** A dispatch result as a Slack message: Block Kit for an answer, escaped text for anything else. */
export function renderSlack(result: DispatchResult, shortTitles: ReadonlyMap<string, string>): { text: string; blocks?: Block[] } | undefined {
  if (result.kind === "silent") return undefined;
  if (result.kind !== "answer") return { text: escapeMrkdwn(result.text) };
  return { text: answerText(result.answer), blocks: answerBlocks(result.answer, result.recorded?.answerId ?? "", shortTitles) };
}

/**
 * Answers a message in its thread through the dispatcher: one message, or, with a model, a placeholder
 * updated with verified drafts and then replaced by the final answer. The thread is the conversation.
 */
export function createReply({ dispatch, shortTitles, streaming, logger }: ReplyOptions): Reply {
  return async (client, { channel, threadTs, user }, question) => {
    const context = {
      channel: "slack" as const,
      userId: user ?? channel,
      conversationKey: `slack:${channel}:${threadTs}`,
      replyAddress: `${channel}:${threadTs}`,
    };
    if (!streaming) {
      const message = renderSlack(await dispatch({ text: question }, context), shortTitles);
      if (message) await client.chat.postMessage({ channel, thread_ts: threadTs, ...message });
      return;
    }
    const placeholder = await client.chat.postMessage({ channel, thread_ts: threadTs, text: SEARCHING });
    const ts = placeholder.ts as string;
    const drafts = new DraftUpdates({ sendDraft: (text) => client.chat.update({ channel, ts, text: escapeMrkdwn(text) }), logger });
    let draft = "";
    const onToken = (verified: string) => {
      draft += verified;
      drafts.draft(draft);
    };
    const message = renderSlack(await dispatch({ text: question }, { ...context, onToken }), shortTitles);
    await drafts.finish(() => client.chat.update({ channel, ts, ...(message ?? { text: "" }) }));
  };
}
