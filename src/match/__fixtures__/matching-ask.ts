import type { Ask } from "../../core/ask.js";
import type { KnowledgeBase } from "../../core/knowledge-base.js";
import { describesAsker } from "../describe-asker.js";
import { matchAnswer } from "../match-answer.js";
import { matchMeasures } from "../match-measures.js";

/**
 * `ask` with the matcher in front, as src/core/ask.ts is to call it: a
 * question that describes the asker gets the matcher's list, any other the
 * usual answer. Test-only until the lead wires it into ask.ts.
 */
export function withMatching(ask: Ask, { knowledgeBase, today }: { knowledgeBase: KnowledgeBase; today: () => string }): Ask {
  return async (question, history, options) => {
    const profile = describesAsker(question);
    if (!profile) return ask(question, history, options);
    return matchAnswer(await matchMeasures(profile, knowledgeBase, today()), knowledgeBase, { question });
  };
}
