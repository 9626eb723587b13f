import type { Logger } from "pino";
import type { ContactInterface, RoomInterface } from "wechaty/impls";

export type SendTarget = ContactInterface | RoomInterface;

/** Sends text to a contact or a group, @mentioning `mention` in a group. */
export type Send = (target: SendTarget, text: string, mention?: ContactInterface) => Promise<void>;

/**
 * One queue for every send with a pause after each: a global pace, because an
 * account that sends in bursts is the one WeChat restricts.
 */
export function createSendQueue({ intervalMs, logger }: { intervalMs: number; logger?: Logger }): Send {
  let queue: Promise<void> = Promise.resolve();
  return (target, text, mention) => {
    queue = queue
      .then(async () => {
        if (mention && "topic" in target) await target.say(text, mention);
        else await target.say(text);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      })
      .catch((error) => logger?.error({ err: error }, "wechat send failed"));
    return queue;
  };
}
