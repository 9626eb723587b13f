import { findRegions } from "../corpus/regions.js";
import type { KeywordIndex, WeightedTerm } from "./keyword-index.js";
import { expandSynonyms } from "./synonyms.js";
import { bigrams, queryWords } from "./tokenize.js";

/** One thing the question asks about, with the ways documents may say it. */
export interface Concept {
  forms: string[];
  /** How rare (informative) the concept is in the corpus. */
  weight: number;
  /** False when no clause has any of its forms: colloquial filler or an off-topic word. */
  known: boolean;
}

export interface AnalysedQuery {
  concepts: Concept[];
  terms: WeightedTerm[];
  regions: string[];
  /** Text for the embedder: the question with its synonyms. */
  embedText: string;
}

const SYNONYM_WEIGHT = 0.6;

/** An upper bound of how many clauses contain a form, from its words and bigrams. */
function formFrequency(index: KeywordIndex, form: string): number {
  const grams = bigrams(form);
  return index.documentFrequency(`w:${form}`) || (grams.length ? Math.min(...grams.map((g) => index.documentFrequency(`b:${g}`))) : 0);
}

const idfOf = (index: KeywordIndex, df: number) => Math.log(1 + (index.size - df + 0.5) / (df + 0.5));

export function analyseQuery(question: string, index: KeywordIndex): AnalysedQuery {
  const regions = findRegions(question);
  let text = question;
  for (const region of regions) text = text.split(region).join(" ");
  // Region words are matched by region, not by text, so strip their short forms too.
  for (const word of queryWords(question)) if (findRegions(word).length) text = text.split(word).join(" ");

  const expansions = expandSynonyms(text);
  const concepts: Concept[] = expansions.map((e) => ({ forms: [e.phrase, ...e.alternatives], weight: 0, known: false }));
  for (const word of queryWords(text)) {
    // A word inside a synonym phrase is that phrase's; a longer word holding one (特种设备 ⊃ 设备) stays its own.
    if (expansions.some((e) => e.phrase.includes(word))) continue;
    if (concepts.some((c) => c.forms[0] === word)) continue;
    concepts.push({ forms: [word], weight: 0, known: false });
  }
  for (const concept of concepts) {
    const df = Math.max(...concept.forms.map((f) => formFrequency(index, f)));
    concept.known = df > 0;
    concept.weight = idfOf(index, df);
  }

  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  for (const concept of concepts) {
    concept.forms.forEach((form, i) => {
      const formWeight = i === 0 ? 1 : SYNONYM_WEIGHT;
      add(`w:${form}`, formWeight);
      const grams = bigrams(form);
      for (const gram of grams) add(`b:${gram}`, formWeight / Math.sqrt(grams.length));
    });
  }
  const terms = [...weights].map(([term, weight]) => ({ term, weight }));
  const embedText = [question, ...expansions.flatMap((e) => e.alternatives)].join(" ");
  return { concepts, terms, regions, embedText };
}

/** Words no clause has count half: they are as often filler (房子, 一起) as the real topic. */
const UNKNOWN_WEIGHT = 0.5;

/** Share of the question's concepts, weighted by rarity, that a text contains. */
export function coverage(concepts: Concept[], text: string): number {
  let total = 0;
  let matched = 0;
  for (const concept of concepts) {
    const weight = concept.known ? concept.weight : concept.weight * UNKNOWN_WEIGHT;
    total += weight;
    if (concept.forms.some((form) => text.includes(form))) matched += weight;
  }
  return total ? matched / total : 0;
}
