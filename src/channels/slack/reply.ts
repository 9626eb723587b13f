import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { Ask } from "../../core/ask.js";
import type { Store } from "../../store/sqlite-store.js";
import { DraftUpdates } from "./draft-updates.js";
import { answerBlocks, answerText, escapeMrkdwn } from "./render.js";

export const SEARCHING = "正在查找相关条款…";

export interface ReplyOptions {
  ask: Ask;
  store: Store;
  shortTitles: Map<string, string>;
  /** Show verified drafts while a model writes (only meaningful with a model). */
  streaming?: boolean;
  logger?: Logger;
}

export type Reply = (client: App["client"], channel: string, threadTs: string, question: string) => Promise<void>;

/**
 * Answers a question in a thread: one message with the answer's blocks, or,
 * with a model, a placeholder updated with verified drafts and then replaced
 * by the final answer.
 */
export function createReply({ ask, store, shortTitles, streaming, logger }: ReplyOptions): Reply {
  async function answer(question: string, conversationId: string, onDraft?: (text: string) => void) {
    let draft = "";
    const onToken = onDraft
      ? (verified: string) => {
          draft += verified;
          onDraft(draft);
        }
      : undefined;
    const result = await ask(question, await store.history(conversationId), { onToken });
    const { answerId } = await store.recordTurn({ conversationId, channel: "slack", question, answer: result });
    return { text: answerText(result), blocks: answerBlocks(result, answerId, shortTitles) };
  }

  return async (client, channel, threadTs, question) => {
    const conversationId = `slack:${channel}:${threadTs}`;
    if (!streaming) {
      const { text, blocks } = await answer(question, conversationId);
      await client.chat.postMessage({ channel, thread_ts: threadTs, text, blocks });
      return;
    }
    const placeholder = await client.chat.postMessage({ channel, thread_ts: threadTs, text: SEARCHING });
    const ts = placeholder.ts as string;
    const drafts = new DraftUpdates({ sendDraft: (text) => client.chat.update({ channel, ts, text: escapeMrkdwn(text) }), logger });
    const { text, blocks } = await answer(question, conversationId, (draft) => drafts.draft(draft));
    await drafts.finish(() => client.chat.update({ channel, ts, text, blocks }));
  };
}
