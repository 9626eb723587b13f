import { type Verification, verifyAnswer } from "../answer/verify.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { normalizeQuestion } from "../search/normalize.js";
import type { RefusalReason } from "../types.js";
import { type InputProblem, type LibraryEntryInput, TEACHABLE_REFUSALS } from "./entry.js";

export const MAX_LIBRARY_QUESTION_CHARS = 500;
export const MAX_LIBRARY_ANSWER_CHARS = 2000;

export type ValidEntry = { ok: true; value: LibraryEntryInput & { refusal?: RefusalReason } } | ({ ok: false } & InputProblem);

/**
 * Checks an entry against the knowledge base it will answer from: a question,
 * known measure ids, a teachable refusal, and a reviewed answer that passes the
 * same verification as a model's (every [n] names a linked measure, every
 * figure appears in a clause it cites).
 */
export function validateEntry(input: LibraryEntryInput, knowledgeBase: KnowledgeBase): ValidEntry {
  const question = normalizeQuestion(input.question ?? "");
  if (!question) return { ok: false, field: "question", error: "question must not be empty" };
  if (question.length > MAX_LIBRARY_QUESTION_CHARS)
    return { ok: false, field: "question", error: `question must be at most ${MAX_LIBRARY_QUESTION_CHARS} characters` };
  const measureIds = [...new Set((input.measureIds ?? []).map((id) => String(id).trim()).filter(Boolean))];
  const unknown = measureIds.findIndex((id) => !knowledgeBase.measuresById.has(id));
  if (unknown >= 0) return { ok: false, field: `measureIds.${unknown}`, error: `no measure ${measureIds[unknown]}` };
  const refusal = input.refusal?.trim() || undefined;
  if (refusal && !(TEACHABLE_REFUSALS as readonly string[]).includes(refusal))
    return { ok: false, field: "refusal", error: `refusal must be one of ${TEACHABLE_REFUSALS.join(", ")}` };
  const answer = input.answer?.trim() || undefined;
  const note = input.note?.trim() || undefined;
  if (refusal && (answer || measureIds.length)) return { ok: false, field: "refusal", error: "a question marked 应拒答 links no measures and has no answer" };
  if (!refusal && !measureIds.length) return { ok: false, field: "measureIds", error: "link at least one measure, or mark the question 应拒答 (refusal)" };
  if (answer) {
    if (answer.length > MAX_LIBRARY_ANSWER_CHARS) return { ok: false, field: "answer", error: `answer must be at most ${MAX_LIBRARY_ANSWER_CHARS} characters` };
    const verification = verifyLibraryAnswer(answer, measureIds, knowledgeBase);
    if (!verification.ok) return { ok: false, field: "answer", error: `answer failed verification: ${verification.problems.join("；")}` };
  }
  return { ok: true, value: { question, measureIds, answer, refusal: refusal as RefusalReason | undefined, note } };
}

/**
 * Verifies a reviewed answer as a model's is: [n] is the entry's nth linked
 * measure, and whatever the answer states must be stated by the measures it
 * cites. Used when the entry is saved and again when it is served, since
 * entries saved under older checks, or whose clauses changed, are served too.
 */
export function verifyLibraryAnswer(answer: string, measureIds: string[], knowledgeBase: KnowledgeBase): Verification {
  const clauses = new Map<number, string>();
  measureIds.forEach((id, i) => {
    const measure = knowledgeBase.measuresById.get(id);
    if (measure) clauses.set(i + 1, measure.text);
  });
  return verifyAnswer({ answer, clauses, supplied: "" });
}
