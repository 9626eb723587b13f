import { recentKeys } from "../../cluster/once.js";

/** A message or event from the platform, from the fields of its (decrypted) XML. */
export interface InboundMessage {
  /** FromUserName: the user's OpenID (公众号) or UserID (企业微信). */
  user: string;
  /** ToUserName: the account's original ID (gh_…) or the CorpID. */
  account: string;
  /** MsgType, lower-cased: text, image, voice, video, shortvideo, location, link, file, event. */
  type: string;
  createTime: string;
  content?: string;
  msgId?: string;
  /** Event, lower-cased: subscribe, unsubscribe, click, view, enter_agent… */
  event?: string;
  eventKey?: string;
}

export function inboundMessage(fields: Record<string, string>): InboundMessage | undefined {
  const { FromUserName: user, ToUserName: account, MsgType: type, CreateTime: createTime } = fields;
  if (!user || !account || !type) return undefined;
  return {
    user,
    account,
    type: type.toLowerCase(),
    createTime: createTime ?? "",
    content: fields.Content,
    msgId: fields.MsgId,
    event: fields.Event?.toLowerCase(),
    eventKey: fields.EventKey,
  };
}

/** The platform resends a message it got no answer to: messages are known by MsgId, events by sender and time. */
export function deliveryKey(message: InboundMessage): string {
  return message.msgId ? `message:${message.msgId}` : `event:${message.user}:${message.createTime}`;
}

/** Keys seen in the last `ttlMs`, so a resent message is answered once. */
export function createRecentKeys({ ttlMs = 5 * 60_000, maxKeys = 50_000, now }: { ttlMs?: number; maxKeys?: number; now: () => number }) {
  return recentKeys({ ttlMs, maxKeys, now });
}
