import type { Channel } from "../store/store.js";

export const HANDOFF_STATUSES = ["open", "claimed", "answered", "closed"] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * Where a person's answer goes back, as the dispatcher names it: the asker on the platform (a wechaty contact,
 * a Slack user) and where replies go (a 公众号/企业微信 OpenID, a wechaty group or the contact, a Slack
 * `channel:thread`); the web conversation needs neither.
 */
export interface ReplyAddress {
  userId?: string;
  address?: string;
}

export interface TranscriptTurn {
  question: string;
  answer?: string;
}

export interface Handoff {
  id: string;
  status: HandoffStatus;
  channel: Channel;
  conversationId: string;
  replyAddress: ReplyAddress;
  question: string;
  transcript: TranscriptTurn[];
  lastAnswer?: string;
  category?: string;
  createdAt: string;
  updatedAt: string;
  lastUserAt: string;
  claimedBy?: string;
  claimedAt?: string;
  answeredAt?: string;
  closedAt?: string;
  slack?: { channel: string; ts: string };
  taughtEntryId?: string;
}

export type Delivery = "pending" | "sending" | "delivered" | "undeliverable";

export interface HandoffMessage {
  id: string;
  handoffId: string;
  conversationId: string;
  author: "staff" | "system";
  actor?: string;
  text: string;
  delivery: Delivery;
  deliveryError?: string;
  createdAt: string;
}
