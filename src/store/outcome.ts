import type { Answer, RefusalReason } from "../types.js";

/**
 * What became of a question, as one value: the log filters on it and the charts count it.
 * `library` is an answer from a staff-taught entry; `handed-off` a turn a channel passed to a person.
 */
export const OUTCOMES = ["answered", "low", "refused", "library", "handed-off"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Reasons that say the documents do not state what was asked, while quoting what they do say. */
export const NOT_STATED_REASONS: readonly RefusalReason[] = ["not-stated", "amount-not-stated"];

export interface TurnOutcome {
  outcome: Outcome;
  /** The refusal's reason; on an `answered` turn only a not-stated one (the flag below). */
  refusalReason: RefusalReason | null;
  /** Answered with the clauses, saying they do not state the figure, place or fee asked. */
  notStated: boolean;
}

/**
 * One outcome from the structured answer. "文件中没有写明办理地点" with the clauses quoted is an answer
 * (the asker got the clauses), flagged not-stated; a refusal cites nothing.
 */
export function outcomeOf(answer: Pick<Answer, "refused" | "refusal" | "confidence" | "citations" | "libraryEntryId">, handedOff = false): TurnOutcome {
  const reason = answer.refusal?.reason ?? null;
  const notStated = reason !== null && NOT_STATED_REASONS.includes(reason) && answer.citations.length > 0;
  if (handedOff) return { outcome: "handed-off", refusalReason: reason, notStated };
  if (answer.refused && !notStated) return { outcome: "refused", refusalReason: reason ?? "no-match", notStated: false };
  if (notStated) return { outcome: "answered", refusalReason: reason, notStated: true };
  if (answer.libraryEntryId) return { outcome: "library", refusalReason: null, notStated: false };
  return { outcome: answer.confidence === "low" ? "low" : "answered", refusalReason: null, notStated: false };
}

/** The flag as stored: a not-stated reason on a turn that was not refused. */
export const isNotStated = (outcome: string, reason: string | null | undefined) =>
  outcome !== "refused" && reason !== null && reason !== undefined && (NOT_STATED_REASONS as readonly string[]).includes(reason);
