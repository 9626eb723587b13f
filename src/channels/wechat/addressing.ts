import { types } from "wechaty";
import type { ContactInterface, MessageInterface, RoomInterface } from "wechaty/impls";

export interface AddressingRules {
  /** Group names the bot answers in; empty means every group. */
  rooms: string[];
  /** A prefix that also addresses the bot in groups, besides an @mention. */
  trigger?: string;
  /** When the bot logged in: anything sent before is history the puppet replays, not a question. */
  loggedInAt: () => number;
  maxMessageAgeSeconds: number;
  now: () => number;
}

/** A message meant for the bot, with the question text stripped of the mention or trigger. */
export interface AddressedMessage {
  text: string;
  isText: boolean;
  talker: ContactInterface;
  room?: RoomInterface;
  /** Rate limits and conversations are per asker, and per group for group askers. */
  key: string;
}

/** Returns the message when it is addressed to the bot and fresh, otherwise undefined. */
export async function addressedMessage(message: MessageInterface, rules: AddressingRules): Promise<AddressedMessage | undefined> {
  if (message.self()) return undefined;
  if (isStale(message, rules)) return undefined;
  const room = message.room();
  const talker = message.talker();
  const isText = message.type() === types.Message.Text;
  const text = isText ? message.text().trim() : "";
  if (!room) return { text, isText, talker, key: talker.id };
  if (rules.rooms.length && !rules.rooms.includes(await room.topic())) return undefined;
  const question = await groupQuestion(message, text, rules.trigger);
  if (question === undefined) return undefined;
  return { text: question, isText, talker, room, key: `${room.id}:${talker.id}` };
}

function isStale(message: MessageInterface, { loggedInAt, maxMessageAgeSeconds, now }: AddressingRules): boolean {
  const sentAt = message.date().getTime();
  // A second of slack: the puppet's clock and ours differ a little.
  return sentAt < loggedInAt() - 1000 || now() - sentAt > maxMessageAgeSeconds * 1000;
}

/** In a group only an @mention or the trigger prefix addresses the bot. */
async function groupQuestion(message: MessageInterface, text: string, trigger?: string): Promise<string | undefined> {
  const mentioned = await message.mentionSelf();
  const triggered = !!trigger && text.startsWith(trigger);
  if (!mentioned && !triggered) return undefined;
  let question = mentioned ? (await message.mentionText()).trim() : text;
  if (trigger && question.startsWith(trigger)) question = question.slice(trigger.length).trim();
  return question;
}
