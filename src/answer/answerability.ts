import { type Concept, conceptWeight } from "../search/query.js";
import type { Confidence, SearchHit } from "../types.js";

/** The evidence a retrieval gives that a question can be answered from the clauses found. */
export interface Judgement {
  decision: Confidence;
  /** Share of the question's weighted concepts the best of the top clauses holds (filler words discounted). */
  share: number;
  /** Summed rarity of the question's concepts that clause holds: how much it says, not what share. */
  evidence: number;
  /** Weight of topical words no clause has (房租 where no clause speaks of rent). */
  missingTopic: number;
  /** The best clause's lead over the runner-up, by fused score (0..1). */
  margin: number;
  best?: SearchHit;
}

/**
 * Thresholds calibrated with `npm run eval -- --calibrate` on the project's and
 * the shared question sets: answerable questions keep share and evidence well
 * above these, chit-chat and neighbouring topics fall below.
 */
export interface AnswerabilityThresholds {
  /** Answer when the clause holds this share of the question and at least `answerEvidence`… */
  answerShare: number;
  answerEvidence: number;
  /** …or a smaller share of a long question that still names several rare things the clause has. */
  strongShare: number;
  strongEvidence: number;
  /** …or a clause that stands far above the runner-up (margin) while holding a fair share. */
  clearShare: number;
  clearMargin: number;
  /** Below these, refuse; between, a low-confidence answer. */
  lowShare: number;
  lowEvidence: number;
}

export const DEFAULT_THRESHOLDS: AnswerabilityThresholds = {
  answerShare: 0.45,
  answerEvidence: 3,
  strongShare: 0.35,
  strongEvidence: 8,
  clearShare: 0.3,
  clearMargin: 0.6,
  lowShare: 0.15,
  lowEvidence: 2.5,
};

export function judge(concepts: Concept[], hits: SearchHit[], textOf: (hit: SearchHit) => string, thresholds = DEFAULT_THRESHOLDS): Judgement {
  const top = hits.slice(0, 3);
  let best: SearchHit | undefined;
  let evidence = 0;
  let share = 0;
  for (const hit of top) {
    const text = textOf(hit);
    let matched = 0;
    for (const concept of concepts) if (concept.known && concept.forms.some((f) => text.includes(f))) matched += concept.weight;
    if (hit.coverage > share || (hit.coverage === share && matched > evidence)) [best, share, evidence] = [hit, hit.coverage, matched];
  }
  const missingTopic = concepts.filter((c) => c.topical && !c.known).reduce((sum, c) => sum + conceptWeight(c), 0);
  const margin = hits.length > 1 && hits[0].score > 0 ? (hits[0].score - hits[1].score) / hits[0].score : 1;
  let decision: Confidence = "refuse";
  const enough = share >= thresholds.answerShare && evidence >= thresholds.answerEvidence;
  const strong = share >= thresholds.strongShare && evidence >= thresholds.strongEvidence;
  // A long colloquial question holds many words of the caller's own; one clause far above the rest still answers it.
  const clear = share >= thresholds.clearShare && margin >= thresholds.clearMargin && evidence >= thresholds.answerEvidence;
  if (enough || strong || clear) decision = "answer";
  else if (share >= thresholds.lowShare && evidence >= thresholds.lowEvidence) decision = "low";
  return { decision, share, evidence, missingTopic, margin, best };
}
