import type { Channel as ChannelName, RecordedTurn } from "../store/store.js";
import type { Answer } from "../types.js";

/** One message from an asker, as every channel hands it over. */
export interface DispatchMessage {
  /** What the asker wrote, mentions and markup removed; undefined for an image, a voice message or a file. */
  text?: string;
}

/** Who asked, where, and where a reply goes: the same shape from every channel. */
export interface DispatchContext {
  /** The stored channel name: wechaty, 公众号 (wechat-mp) and 企业微信 (wecom) apart. */
  channel: ChannelName;
  /** The asker on the platform (a contact, an OpenID, a Slack user): what the polite rate limit counts by. */
  userId: string;
  /** What names the conversation on the platform (a contact in a group, a Slack thread), namespaced by channel. */
  conversationKey: string;
  /** Where a reply goes on the platform (a room, a thread, an OpenID), for a step that answers later or elsewhere. */
  replyAddress?: string;
  /** Verified text as a model writes it (only with a model). */
  onToken?: (verified: string) => void;
  /** Cancels the model call when nobody waits for the answer any more. */
  signal?: AbortSignal;
  /** False for a read that must not write (an HTTP GET): the turn is answered but not stored. */
  record?: boolean;
  /** The channel has just made up this conversation's id for this message: there is no history to read. */
  newConversation?: boolean;
}

/** What an intercept sees: the context with the conversation already looked up. */
export interface InterceptContext extends DispatchContext {
  conversationId: string;
}

/**
 * What to say. `answer`: from `ask`, recorded; `reply`: a fixed text (help, a reset, a notice, or a
 * step such as a hand-off), with why, and `handedOff` when the message went to a person (the turn is logged so); `failed`: the apology, with the error for channels that report it
 * otherwise (HTTP statuses); `silent`: nothing to send.
 */
export type DispatchResult =
  | { kind: "answer"; answer: Answer; conversationId: string; recorded?: RecordedTurn }
  | { kind: "reply"; text: string; reason: ReplyReason; handedOff?: true }
  | { kind: "failed"; text: string; error: unknown }
  | { kind: "silent" };

export type ReplyReason = "help" | "greeting" | "reset" | "not-text" | "rate-limited" | (string & {});

/**
 * A step before `ask`: returns what to say to take the message, or undefined to pass it on. Intercepts run
 * in order after the built-in commands (帮助, 你好, 重新开始); a hand-off to a person is one.
 */
export type Intercept = (message: DispatchMessage, context: InterceptContext) => DispatchResult | undefined | Promise<DispatchResult | undefined>;
