import { type Answer, NOT_STATED_REASONS, type RefusalReason } from "../types.js";

export { NOT_STATED_REASONS };

/**
 * What became of a question, as one value: the log filters on it and the charts count it.
 * `library` is an answer from a staff-taught entry; `handed-off` a turn a channel passed to a person.
 */
export const OUTCOMES = ["answered", "low", "refused", "library", "handed-off"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface TurnOutcome {
  outcome: Outcome;
  /** The refusal's reason; on an `answered` turn only a not-stated one (the flag below). */
  refusalReason: RefusalReason | null;
  /** Answered with the clauses, saying they do not state the figure, place or fee asked. */
  notStated: boolean;
}

/**
 * The stored outcome, read from the answer's own `outcome`. "文件中没有写明办理地点" with the clauses quoted is an
 * answer (the asker got the clauses), flagged not-stated; a refusal cites nothing.
 */
export function outcomeOf(answer: Pick<Answer, "outcome" | "refusal">, handedOff = false): TurnOutcome {
  const reason = answer.refusal?.reason ?? null;
  const notStated = answer.outcome === "not-stated";
  if (handedOff) return { outcome: "handed-off", refusalReason: reason, notStated };
  if (answer.outcome === "refused") return { outcome: "refused", refusalReason: reason ?? "no-match", notStated: false };
  if (answer.outcome === "not-stated") return { outcome: "answered", refusalReason: reason, notStated: true };
  return { outcome: answer.outcome, refusalReason: null, notStated: false };
}

/** The flag as stored: a not-stated reason on a turn that was not refused. */
export const isNotStated = (outcome: string, reason: string | null | undefined) =>
  outcome !== "refused" && reason !== null && reason !== undefined && (NOT_STATED_REASONS as readonly string[]).includes(reason);
