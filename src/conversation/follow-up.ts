import { findRegions, stripRegions } from "../corpus/regions.js";
import type { Turn } from "../types.js";
import { framesOf, stripFrames } from "./question-frames.js";

const OPENING = /^(那|那么|那如果|如果是|要是|还有|另外|再问|其他的?|同样|那个|这个)/;
/** Words that point back at something said before (类似的, 这样的, 这项): the question leans on the conversation. */
const POINTS_BACK = /类似|同样的|一样的|这样的|这种|这个|这项|这些|这条|该项|该措施|上述|上面|刚才|前面说的|其中|它们?的|那条|那项/;
const CLOSING = /(呢|的呢|怎么样|怎么办)[？?。]?$/;
const SHORT = 12;

export interface ResolvedQuestion {
  /** Text to search with. */
  text: string;
  /** What this turn itself asked. */
  focus: string;
  /** The earlier question it leans on, when it is a follow-up. */
  carried?: string;
}

/** True when the wording itself leans on an earlier turn ("那农业用电呢？", "哈密有没有类似的？"). */
export function hasFollowUpCue(question: string): boolean {
  const q = question.trim();
  return OPENING.test(q) || POINTS_BACK.test(q) || (q.length <= SHORT && CLOSING.test(q));
}

/** What is left of an earlier question once its frame is taken out, without the particles the frame leaves behind. */
const LEFT_BY_FRAME = /[要能会需是由的了吗呢？?。，,\s]+$/;

/**
 * The question joined to the topic and place of the turn before: a place
 * the follow-up names replaces the earlier one (the topic stays), a place it
 * does not name is kept, and a frame it asks (截止到什么时候, 在哪里办:
 * question-frames.json) replaces the earlier question's frame.
 */
export function carryOver(question: string, previous: string): ResolvedQuestion {
  let carried = findRegions(question).length ? stripRegions(previous) : previous;
  if (framesOf(question).length) carried = stripFrames(carried).replace(LEFT_BY_FRAME, "") || carried;
  const focus =
    question
      .replace(OPENING, "")
      .replace(/的?呢([？?。])?$/, "$1")
      .trim() || question;
  return { text: `${focus} ${carried}`, focus, carried };
}

/** Each earlier turn as it was understood, oldest first, resolving turns that arrive without it (batch files give only questions). */
export function understoodTurns(history: Turn[], isFollowUp: (question: string) => boolean): string[] {
  const understood: string[] = [];
  for (const turn of history.slice(-3)) {
    const previous = understood.at(-1);
    understood.push(turn.resolvedQuestion ?? (previous && isFollowUp(turn.question) ? carryOver(turn.question, previous).text : turn.question));
  }
  return understood;
}
