import type { Answer } from "../types.js";
import { HANDOFF_OFFER } from "./intent.js";

/** A refusal already gives 12345; where a person can take the question, it also says how to ask for one. */
export function withHandoffOffer(answer: Answer): Answer {
  if (!answer.refused || answer.refusal?.reason === "injection" || answer.body.includes(HANDOFF_OFFER)) return answer;
  return { ...answer, body: `${answer.body}\n${HANDOFF_OFFER}`, text: `${answer.text}\n${HANDOFF_OFFER}` };
}
