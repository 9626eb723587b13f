import type { Answer } from "../types.js";
import type { JudgedQuestion } from "./score.js";

export interface EvalQuestion extends JudgedQuestion {
  question: string;
  history?: string[];
  /** When a set names its categories; otherwise one is read off the question's shape. */
  category?: string;
}

const VALIDITY_FACT = /已到期|已过期|已结束|已失效/;

/** The kind of question, for per-category figures: the set's own label, or its shape. */
export function categoryOf(q: EvalQuestion): string {
  if (q.category) return q.category;
  if (q.expect === "refuse") return "refusal";
  if (q.history?.length) return "follow-up";
  if (q.facts.some((group) => group.some((alt) => VALIDITY_FACT.test(alt)))) return "validity";
  if (q.gold.length > 1) return "multi-clause";
  return "single-clause";
}

export interface Outcome {
  question: EvalQuestion;
  answer: Answer;
  direct: boolean;
}

/**
 * Per category: how many were answered directly; and for refusals, precision
 * (of the questions refused, how many should have been) and recall (of those
 * that should have been, how many were), with the reasons given.
 */
export function calibrationReport(outcomes: Outcome[]): string[] {
  const lines: string[] = [];
  const byCategory = new Map<string, Outcome[]>();
  for (const o of outcomes) byCategory.set(categoryOf(o.question), [...(byCategory.get(categoryOf(o.question)) ?? []), o]);
  for (const [category, list] of [...byCategory].sort()) {
    const low = list.filter((o) => o.answer.confidence === "low").length;
    lines.push(`${category.padEnd(14)} ${list.filter((o) => o.direct).length}/${list.length} direct${low ? `, ${low} low-confidence` : ""}`);
  }
  const refused = outcomes.filter((o) => o.answer.refused);
  const shouldRefuse = outcomes.filter((o) => o.question.expect === "refuse");
  const rightly = refused.filter((o) => o.question.expect === "refuse");
  const percent = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}%` : "n/a");
  lines.push(
    `refusals: precision ${percent(rightly.length, refused.length)} (${rightly.length}/${refused.length}), recall ${percent(rightly.length, shouldRefuse.length)} (${rightly.length}/${shouldRefuse.length})`,
  );
  const reasons = new Map<string, { right: number; wrong: number }>();
  for (const o of refused) {
    const reason = o.answer.refusal?.reason ?? "unknown";
    const tally = reasons.get(reason) ?? { right: 0, wrong: 0 };
    if (o.question.expect === "refuse") tally.right++;
    else tally.wrong++;
    reasons.set(reason, tally);
  }
  for (const [reason, { right, wrong }] of [...reasons].sort())
    lines.push(`  ${reason.padEnd(18)} ${right} right${wrong ? `, ${wrong} wrong (answerable)` : ""}`);
  const missed = shouldRefuse.filter((o) => !o.answer.refused);
  if (missed.length) lines.push(`  answered but should refuse: ${missed.map((o) => `${o.question.id} (${o.answer.confidence})`).join(", ")}`);
  return lines;
}
