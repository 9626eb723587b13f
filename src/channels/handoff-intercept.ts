import type { Ask } from "../core/ask.js";
import type { Intercept } from "../core/dispatch.js";
import type { HandoffService } from "../handoff/handoff-service.js";
import { createHandoffIntake } from "../handoff/intake.js";
import { withHandoffOffer } from "../handoff/refusal-offer.js";

/**
 * 转人工 as a dispatcher intercept, on every channel: a request for a person (or a refusal's offer
 * accepted) becomes a hand-off with the asker and where replies go, answered with the queue notice.
 */
export function handoffIntercept(service: HandoffService): Intercept {
  const intake = createHandoffIntake(service);
  return async (message, context) => {
    if (message.text === undefined) return undefined;
    const replyAddress = { userId: context.userId, address: context.replyAddress };
    const taken = await intake(message.text, {
      channel: context.channel,
      conversationId: context.conversationId,
      replyAddress,
      newConversation: context.newConversation,
    });
    return taken && { kind: "reply", text: taken.text, reason: "handoff", handedOff: true };
  };
}

/** `ask` whose refusals end with the offer of a person (回复「转人工」由工作人员处理), where hand-offs are on. */
export function offeringHandoff(ask: Ask): Ask {
  return async (question, history, options) => withHandoffOffer(await ask(question, history, options));
}
