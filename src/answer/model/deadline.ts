import { withDeadline } from "../../resilience.js";
import type { Ask } from "../seams.js";

/**
 * One time budget for a whole answer: the follow-up rewrite, the query
 * embedding, the answer and its repair all draw on it, so LLM_TIMEOUT_MS is
 * the most a user waits for the model, however many calls it takes.
 */
export function withAnswerDeadline(ask: Ask, timeoutMs: number): Ask {
  return (question, history, options) => withDeadline(timeoutMs, () => ask(question, history, options));
}
