import type { Channel } from "../store/store.js";
import type { ReplyAddress } from "./handoff.js";
import type { HandoffService } from "./handoff-service.js";
import { handoffRequest } from "./intent.js";
import { ALREADY_QUEUED_TEXT, queuedText } from "./messages.js";

export interface IntakeContext {
  channel: Channel;
  conversationId: string;
  replyAddress: ReplyAddress;
  /** The conversation began with this message: it has no hand-off to note the user's writing on. */
  newConversation?: boolean;
}

export interface IntakeResult {
  /** What to tell the user: queued, when staff work, and 12345. */
  text: string;
  handoffId: string;
}

/**
 * Runs before `ask`: a message asking for a person (转人工, 人工客服…, or accepting a refusal's offer)
 * creates the hand-off and is answered with the queue notice; any other message is left to `ask`
 * (undefined), after noting that the user wrote (WeChat's 48-hour window).
 */
export function createHandoffIntake(service: HandoffService) {
  return async (text: string, context: IntakeContext): Promise<IntakeResult | undefined> => {
    const request = handoffRequest(text);
    if (!request) {
      if (!context.newConversation) await service.touch(context.conversationId).catch(() => undefined);
      return undefined;
    }
    // Read only for a request: other messages cost an indexed read of their hand-off (touch), not a history read.
    const history = await service.history(context.conversationId);
    const { handoff, created } = await service.create({ ...context, history, question: request.question });
    return { text: created ? queuedText(service.hours) : ALREADY_QUEUED_TEXT, handoffId: handoff.id };
  };
}

export type HandoffIntake = ReturnType<typeof createHandoffIntake>;
