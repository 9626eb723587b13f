import { LRUCache } from "lru-cache";
import type { Ask } from "../answer/seams.js";
import type { Answer } from "../types.js";

export interface AnswerCacheOptions {
  /** Questions remembered at once (ANSWER_CACHE_SIZE); 0 turns the cache off. */
  capacity: number;
  /**
   * Everything else an answer depends on: the knowledge base, the question library's revision, today's date.
   * When any part differs from the last call's, every remembered answer is forgotten.
   */
  generation: () => readonly unknown[];
}

/**
 * Remembers the answers to questions asked without a conversation behind them. A hotline hears the same few hundred
 * questions all day, and the extractive answer is a pure function of the question and the generation, so the second
 * asker of 检测费能减免多少 gets the first one's answer without a search. Questions in a conversation are always
 * answered afresh (the earlier turns decide the reading), and so are library answers: each one counts a hit.
 * Two askers of the same question at once share one answering.
 */
export function withAnswerCache(ask: Ask, { capacity, generation }: AnswerCacheOptions): Ask {
  if (capacity <= 0) return ask;
  const answers = new LRUCache<string, Promise<Answer>>({ max: capacity });
  let current: readonly unknown[] = [];

  return (question, history = [], options = {}) => {
    if (history.length) return ask(question, history, options);
    const now = generation();
    if (now.length !== current.length || now.some((part, i) => part !== current[i])) {
      answers.clear();
      current = now;
    }
    const key = question.trim();
    const known = answers.get(key);
    if (known) return known;
    const forget = () => answers.peek(key) === answering && answers.delete(key);
    const answering = ask(question, history, options).then((answer) => {
      if (answer.libraryEntryId) forget();
      return answer;
    });
    answers.set(key, answering);
    // A failure is not remembered: the next asker tries again.
    answering.catch(forget);
    return answering;
  };
}
