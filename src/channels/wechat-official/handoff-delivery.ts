import type { DeliveryResult } from "../../handoff/delivery.js";
import type { Handoff } from "../../handoff/handoff.js";
import { OUTSIDE_WINDOW } from "../../handoff/messages.js";
import { splitAtBoundaries } from "../split-text.js";
import { type PlatformApi, WechatApiError } from "./platform-api.js";

/** WeChat lets a 公众号 send customer-service messages within 48 hours of the user's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 48 * 3_600_000;
/** 45015: the user has not written within the window; the platform's own word that it is closed. */
const WINDOW_CLOSED = 45015;
/** At most 2,048 bytes a message: 682 characters of up to three bytes each always fit. */
const MESSAGE_CHARS = 682;

export interface OfficialDelivererOptions {
  api: PlatformApi;
  now?: () => number;
  /** The 48-hour window (公众号); undefined for a 企业微信 application, whose messages have none. */
  windowMs?: number;
  /** False when the account has no customer-service API (an unverified 订阅号). */
  available?: boolean;
}

/** A person's answer to a 公众号 or 企业微信 user, through the customer-service (or application) message API. */
export function officialDeliverer({ api, now = Date.now, windowMs, available = true }: OfficialDelivererOptions) {
  return async (handoff: Handoff, text: string): Promise<DeliveryResult> => {
    const user = handoff.replyAddress.address;
    if (!user) return { ok: false, reason: "没有用户的 OpenID，无法回复", permanent: true };
    if (!available) return { ok: false, reason: "本公众号没有客服消息接口（未认证订阅号），无法主动发送；请改用12345回访等方式联系。", permanent: true };
    if (windowMs !== undefined && now() - Date.parse(handoff.lastUserAt) > windowMs) return { ok: false, reason: OUTSIDE_WINDOW, permanent: true };
    try {
      for (const part of splitAtBoundaries(text, MESSAGE_CHARS)) await api.sendText(user, part);
      return { ok: true };
    } catch (error) {
      if (error instanceof WechatApiError && error.errcode === WINDOW_CLOSED) return { ok: false, reason: OUTSIDE_WINDOW, permanent: true };
      return { ok: false, reason: (error as Error).message, permanent: false };
    }
  };
}
