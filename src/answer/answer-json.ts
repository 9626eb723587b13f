import type { Answer } from "../types.js";

/**
 * The judged JSONL contract, shared by the CLI, the HTTP API and the eval:
 * `answer` is the full rendering, citations are in rank order; the structured
 * parts ride alongside for clients that render for themselves.
 */
export function answerJson(id: string | number, answer: Answer) {
  return {
    id,
    answer: answer.text,
    outcome: answer.outcome,
    refused: answer.refused,
    citations: answer.citations.map((c) => ({
      text: c.text,
      document: c.document,
      docNumber: c.docNumber ?? null,
      issuer: c.issuer,
      date: c.date ?? null,
      path: c.path,
      pages: c.pages,
      score: c.score,
      status: c.status,
    })),
    body: answer.body,
    notices: answer.notices,
    confidence: answer.confidence,
    refusalReason: answer.refusal?.reason ?? null,
    suggestions: answer.suggestions,
  };
}
