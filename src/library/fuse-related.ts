import { searchText } from "../search/hybrid-retriever.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { type Concept, coverage } from "../search/query.js";
import type { SearchHit } from "../types.js";
import type { RelatedMeasure } from "./related-questions.js";

/**
 * A measure's taught questions are extra text of it. They count when, read
 * with them, the measure covers at least this share of the asked question
 * (concepts weighted by rarity, thesaurus forms included, as the answer gate
 * reads coverage)… Calibrated in fuse-related.test.ts against 饭店老被查怎么办:
 * 饭店老被查咋办 0.91 and 饭店经常被查怎么办 0.55 pass, 饭店能享受什么补贴 0.45 does not.
 */
export const RELATED_COVERAGE = 0.55;
/** …and at least this much more than the measure's own text does: the taught words made the difference. */
export const RELATED_GAIN = 0.15;

/** What a search finds once the taught questions are read as text of their measures. */
export interface TaughtReading {
  hits: SearchHit[];
  /** The question's concepts; a word no clause has but a taught question does is known now (饭店 in 饭店老被查). */
  concepts: Concept[];
  /** A hit's searchable text with its measure's related taught questions. */
  textOf: (hit: SearchHit) => string;
  /** The measures raised, with the taught questions that did it. */
  related: Array<{ measureId: string; questions: string[]; coverage: number }>;
}

/** Concepts with the words the taught texts hold marked known and topical: the library's own vocabulary. */
function knownIn(concepts: Concept[], texts: string[]): Concept[] {
  return concepts.map((c) => (c.known || !c.forms.some((f) => texts.some((t) => t.includes(f))) ? c : { ...c, known: true, topical: true }));
}

/**
 * Reads the retriever's hits with the taught questions as extra text of their
 * measures: a measure whose taught questions make it cover the asked question
 * goes above the search's best hit (by that coverage, between several), and is
 * judged on its text with them. Measures the search missed
 * join; measures the knowledge base no longer has are left out.
 */
export function readWithTaughtQuestions(
  knowledgeBase: KnowledgeBase,
  concepts: Concept[],
  hits: SearchHit[],
  candidates: RelatedMeasure[],
  textOf: (hit: SearchHit) => string,
): TaughtReading {
  const taught = new Map<string, string[]>();
  for (const candidate of candidates) {
    if (!knowledgeBase.measuresById.has(candidate.measureId)) continue;
    taught.set(candidate.measureId, [...(taught.get(candidate.measureId) ?? []), candidate.question]);
  }
  const related: TaughtReading["related"] = [];
  for (const [measureId, questions] of taught) {
    const measure = knowledgeBase.measuresById.get(measureId)!;
    const own = searchText(measure, knowledgeBase.documentOf(measure));
    const read = knownIn(concepts, questions);
    const before = coverage(read, own);
    const after = coverage(read, [own, ...questions].join("\n"));
    if (after >= RELATED_COVERAGE && after - before >= RELATED_GAIN) related.push({ measureId, questions, coverage: after });
  }
  if (!related.length) return { hits, concepts, textOf, related };

  const top = hits[0]?.score || 1;
  const fused = new Map(hits.map((hit) => [hit.measureId, { ...hit }]));
  for (const { measureId, coverage: covered } of related) {
    const hit = fused.get(measureId) ?? { measureId, score: 0, keywordScore: 0, vectorScore: 0, coverage: 0 };
    // Above every search hit: the taught questions already cover the asked one better than the clauses alone.
    hit.score = Math.max(hit.score, top) + top * covered;
    hit.coverage = Math.max(hit.coverage, covered);
    fused.set(measureId, hit);
  }
  const extra = new Map(related.map((r) => [r.measureId, r.questions.join("\n")]));
  return {
    hits: [...fused.values()].sort((a, b) => b.score - a.score),
    concepts: knownIn(
      concepts,
      related.flatMap((r) => r.questions),
    ),
    textOf: (hit) => (extra.has(hit.measureId) ? `${textOf(hit)}\n${extra.get(hit.measureId)}` : textOf(hit)),
    related,
  };
}
