import type { Channel } from "../store/store.js";

export const HANDOFF_STATUSES = ["open", "claimed", "answered", "closed"] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/**
 * Where a person's answer goes back, per channel: a 公众号/企业微信 user (openid / userid), a wechaty
 * contact (and the group it asked in), a Slack user, or the web conversation itself (nothing more needed).
 */
export interface ReplyAddress {
  user?: string;
  room?: string;
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
