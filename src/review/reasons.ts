import { refusalText } from "../answer/refusal.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { questionTopics, RARE_TOPIC_WEIGHT } from "./topics.js";
import { saysYesOrNo, yesNoQuestion } from "./yes-no.js";

/** A stored answer as the review queue reads it (the store's `turns` row with its latest rating down). */
export interface ReviewTurn {
  id: string;
  question: string;
  /** The standalone question searched, after a follow-up was resolved. */
  resolvedQuestion?: string;
  /** The full text as stored (`Answer.text`). */
  answer: string;
  refused: boolean;
  mode: string;
  citations: Array<{ measureId?: string; text?: string; path?: string; document?: string }>;
  libraryEntryId?: string;
  /** As stored since turns kept them; older rows are told by their text. */
  refusalReason?: string;
  confidence?: string;
  channel: string;
  createdAt: string;
  /** The latest rating down, when anyone gave one. */
  ratedDown?: { comment?: string; at: string };
}

/**
 * Why an answer waits for a person: it found nothing (refused), offered only the nearest clauses (low), someone rated
 * it down, or it looks wrong: a rare topic of the question is in none of its clauses (suspect-topic), or a yes/no
 * question got neither (suspect-yes-no).
 */
export type ReasonKind = "refused" | "low-confidence" | "rated-down" | "suspect-topic" | "suspect-yes-no";

export interface Reason {
  kind: ReasonKind;
  /** suspect-topic: the topics no cited clause names. */
  words?: string[];
  /** rated-down: what the rater wrote. */
  comment?: string;
}

/**
 * How a low-confidence answer opens (answer/extractive.ts writes it first in the body, and `text` starts with the
 * body): the store keeps no confidence column yet, so this is how the row tells it.
 */
export const LOW_CONFIDENCE_HEDGE = "没有找到与您的问题完全对应的规定";
const NO_MATCH = refusalText("no-match");

/**
 * A refusal because nothing matched. An answer that quotes its clauses with a line saying the documents do not state
 * what was asked (amount-not-stated, not-stated) is stored refused but cites clauses: it is an answer, not a refusal.
 * Declining by kind (personal matters, requests to act, other places, injections) is the right answer, not a gap.
 */
const isNoMatchRefusal = (turn: ReviewTurn) =>
  turn.refused && !turn.citations.length && (turn.refusalReason ? turn.refusalReason === "no-match" : turn.answer.startsWith(NO_MATCH));
const isLowConfidence = (turn: ReviewTurn) => (turn.confidence ? turn.confidence === "low" : turn.answer.startsWith(LOW_CONFIDENCE_HEDGE));

/**
 * Missing topics weighing at least this share of all the question's topics make an answer suspect: the clauses miss
 * what the question is mostly about (稳岗返还 in 稳岗返还今年还能申请吗), not one detail of a long story (合作社 in
 * 我们合作社收棉花用的原棉水分测定仪……还能免费吗). Tuned on the eval questions in reasons.test.ts.
 */
export const MISSING_SHARE = 0.5;

/**
 * The topics of the question, at least RARE_TOPIC_WEIGHT rare, that none of the answer's cited clauses names, when
 * they are most of what the question is about; none otherwise.
 */
export function missingTopics(turn: ReviewTurn, knowledgeBase: KnowledgeBase): string[] {
  if (!turn.citations.length) return [];
  const cited = turn.citations.map((c) => [c.text, c.path, c.document].filter(Boolean).join(" ")).join("\n");
  const topics = questionTopics(turn.resolvedQuestion ?? turn.question, knowledgeBase);
  const missing = topics.filter((topic) => topic.weight >= RARE_TOPIC_WEIGHT && !topic.forms.some((form) => cited.includes(form)));
  const weight = (list: typeof topics) => list.reduce((sum, topic) => sum + topic.weight, 0);
  return missing.length && weight(missing) >= MISSING_SHARE * weight(topics) ? missing.map((topic) => topic.label) : [];
}

/** Every reason this answer needs review, none when it does not. */
export function reviewReasons(turn: ReviewTurn, knowledgeBase: KnowledgeBase): Reason[] {
  const reasons: Reason[] = [];
  if (isNoMatchRefusal(turn)) reasons.push({ kind: "refused" });
  if (isLowConfidence(turn)) reasons.push({ kind: "low-confidence" });
  if (turn.ratedDown) reasons.push({ kind: "rated-down", ...(turn.ratedDown.comment ? { comment: turn.ratedDown.comment } : {}) });
  // What staff taught was checked by a person; what the bot answered on its own is checked here.
  if (!turn.libraryEntryId && turn.citations.length) {
    const words = missingTopics(turn, knowledgeBase);
    if (words.length) reasons.push({ kind: "suspect-topic", words });
    const asked = turn.refused ? undefined : yesNoQuestion(turn.question);
    if (asked && !saysYesOrNo(turn.answer, asked)) reasons.push({ kind: "suspect-yes-no" });
  }
  return reasons;
}
