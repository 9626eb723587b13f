import type { KnowledgeBase } from "../search/knowledge-base.js";
import { classifyMeasure, type MeasureClassification } from "./classify.js";

const byKnowledgeBase = new WeakMap<KnowledgeBase, Map<string, MeasureClassification>>();

/**
 * Every measure's classification, computed once per knowledge base, when first
 * asked for. It is also written onto each measure's optional fields
 * (beneficiaries, benefitKind, sectors), so the catalogue shows it; the parse
 * cache on disk is written before this runs and never holds them, so a
 * change to the vocabulary needs no cache bump.
 */
export function classifiedMeasures(knowledgeBase: KnowledgeBase): Map<string, MeasureClassification> {
  let classified = byKnowledgeBase.get(knowledgeBase);
  if (!classified) {
    classified = new Map();
    for (const measure of knowledgeBase.corpus.measures) {
      const classification = classifyMeasure(measure, knowledgeBase.documentOf(measure));
      classified.set(measure.id, classification);
      const { beneficiaries, benefitKind, sectors } = classification;
      Object.assign(measure.fields, { beneficiaries, benefitKind, sectors });
    }
    byKnowledgeBase.set(knowledgeBase, classified);
  }
  return classified;
}
