import { findRegions, stripRegions } from "../corpus/regions.js";
import type { Turn } from "../types.js";

const FOLLOW_UP_OPENING = /^(那|那么|那如果|如果是|要是|还有|另外|再问|其他的?|同样|那个|这个)/;
const FOLLOW_UP_CLOSING = /(呢|的呢|怎么样|怎么办)[？?。]?$/;
const SHORT = 12;

export interface ResolvedQuestion {
  /** Text to search with. */
  text: string;
  /** What this turn itself asked. */
  focus: string;
  /** The earlier question it leans on, when it is a follow-up. */
  carried?: string;
}

/** True when a question leans on the one before it ("那农业用电呢？"). */
export function isFollowUp(question: string): boolean {
  const q = question.trim();
  return FOLLOW_UP_OPENING.test(q) || (q.length <= SHORT && FOLLOW_UP_CLOSING.test(q));
}

/**
 * Resolves a short follow-up against the conversation by rule: the earlier
 * question's topic and place are carried over, and a place the follow-up names
 * replaces the earlier one.
 */
export function resolveFollowUp(question: string, history: Turn[]): ResolvedQuestion {
  const previous = history.at(-1);
  if (!previous || !isFollowUp(question)) return { text: question, focus: question };
  let carried = previous.resolvedQuestion ?? previous.question;
  const named = findRegions(question);
  if (named.length) carried = stripRegions(carried);
  const focus = question.replace(FOLLOW_UP_OPENING, "").replace(/的?呢([？?。])?$/, "$1");
  return { text: `${focus} ${carried}`, focus, carried };
}
