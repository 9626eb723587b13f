import type { WechatyInterface } from "wechaty/impls";
import type { DeliveryResult } from "../../handoff/delivery.js";
import type { Handoff } from "../../handoff/handoff.js";
import { splitAtBoundaries } from "../split-text.js";

const MESSAGE_CHARS = 1500;

/** A person's answer to a wechaty contact, said in the chat the question came from (the group, with an @mention). */
export function wechatyDeliverer(bot: WechatyInterface) {
  return async (handoff: Handoff, text: string): Promise<DeliveryResult> => {
    const { userId, address } = handoff.replyAddress;
    if (!userId) return { ok: false, reason: "没有联系人，无法回复", permanent: true };
    const contact = await bot.Contact.find({ id: userId });
    if (!contact) return { ok: false, reason: "找不到这位联系人（已删除好友或未登录）", permanent: false };
    // The dispatcher's reply address is the group asked in, or the contact itself for a private chat.
    const room = address && address !== userId ? address : undefined;
    const group = room ? await bot.Room.find({ id: room }) : undefined;
    if (room && !group) return { ok: false, reason: "找不到这个群", permanent: false };
    for (const part of splitAtBoundaries(text, MESSAGE_CHARS)) {
      if (group) await group.say(part, contact);
      else await contact.say(part);
    }
    return { ok: true };
  };
}
