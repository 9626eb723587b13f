import { findRegions } from "../corpus/regions.js";
import type { KeywordIndex, WeightedTerm } from "./keyword-index.js";
import { SpellingCorrector, type SpellingVocabulary } from "./spelling.js";
import { documentVerbs, spokenActs } from "./spoken-verbs.js";
import type { Thesaurus } from "./thesaurus.js";
import { bigrams, queryWords, words } from "./tokenize.js";

/** What a question is read with: the public's words and the documents' vocabulary. */
export interface Lexicon {
  thesaurus: Thesaurus;
  spelling: SpellingCorrector;
  /** Recent analyses: one ask reads the same text several times (follow-up check, search, excerpts). */
  recent: Map<string, AnalysedQuery>;
}

const RECENT_ANALYSES = 256;

export function createLexicon(index: KeywordIndex, thesaurus: Thesaurus): Lexicon {
  return { thesaurus, spelling: new SpellingCorrector(spellingVocabulary(index, thesaurus), words), recent: new Map() };
}

/**
 * The lexicon of an index a publish changed, the terms of whose added clauses are `addedTerms` (indexTerms): the
 * spelling corrector's patterns are carried over (SpellingCorrector.changed) unless the thesaurus changed too.
 */
export function changedLexicon(live: Lexicon, index: KeywordIndex, thesaurus: Thesaurus, addedTerms: Iterable<string>): Lexicon {
  if (live.thesaurus !== thesaurus) return createLexicon(index, thesaurus);
  const added = function* () {
    for (const term of addedTerms) if (term.startsWith("w:")) yield term.slice(2);
  };
  return { thesaurus, spelling: live.spelling.changed(spellingVocabulary(index, thesaurus), added()), recent: new Map() };
}

const bigramsOfThesauri = new WeakMap<Thesaurus, ReadonlySet<string>>();

function spellingVocabulary(index: KeywordIndex, thesaurus: Thesaurus): SpellingVocabulary {
  // Kept per thesaurus: every publish makes a vocabulary, and tens of thousands of strings made again for each
  // are garbage a collection of a large heap then has to keep up with.
  let thesaurusBigrams = bigramsOfThesauri.get(thesaurus);
  if (!thesaurusBigrams) {
    thesaurusBigrams = new Set([...thesaurus.words()].flatMap((w) => bigrams(w)));
    bigramsOfThesauri.set(thesaurus, thesaurusBigrams);
  }
  const frequency = (word: string) => index.documentFrequency(`w:${word}`);
  return {
    *words() {
      for (const term of index.terms()) if (term.startsWith("w:")) yield term.slice(2);
      yield* thesaurus.words();
    },
    knownBigram: (b) => thesaurusBigrams.has(b) || index.documentFrequency(`b:${b}`) > 0,
    frequency,
    has: (word) => frequency(word) > 0 || thesaurus.knows(word),
  };
}

/** One thing the question asks about, with the ways documents may say it. */
export interface Concept {
  forms: string[];
  /** How rare (informative) the concept is in the corpus. */
  weight: number;
  /** False when no clause has any of its forms: colloquial filler or an off-topic word. */
  known: boolean;
  /**
   * True when the word belongs to the policy domain (the documents or the
   * thesaurus have it). An unknown topical word (房租 where no clause speaks
   * of rent) is a topic the knowledge base lacks, not filler.
   */
  topical: boolean;
}

export interface AnalysedQuery {
  /** The question after spelling correction. */
  text: string;
  concepts: Concept[];
  terms: WeightedTerm[];
  regions: string[];
  /** Text for the embedder: the question with its synonyms. */
  embedText: string;
}

const SYNONYM_WEIGHT = 0.6;
/** Years and bare numbers (2023, 50) say little about the topic. */
const NUMERIC = /^[\d.%]+$/;

/** An upper bound of how many clauses contain a form, from its words and bigrams. */
function formFrequency(index: KeywordIndex, form: string): number {
  const grams = bigrams(form);
  return index.documentFrequency(`w:${form}`) || (grams.length ? Math.min(...grams.map((g) => index.documentFrequency(`b:${g}`))) : 0);
}

/**
 * The documents' word inside a spoken compound the segmenter kept whole (坐飞机 → 飞机, 交社保 → 社保): a verb of one
 * character glued before a word the clauses use. Only that character falls away: 房租补贴 is not 补贴, and a
 * 食品厂 is a kind of enterprise, not 食品.
 */
function heldWord(index: KeywordIndex, word: string): string | undefined {
  if (word.length < 3 || !/^\p{Script=Han}+$/u.test(word)) return undefined;
  const inner = word.slice(1);
  return index.documentFrequency(`w:${inner}`) > 0 ? inner : undefined;
}

const idfOf = (index: KeywordIndex, df: number) => Math.log(1 + (index.size - df + 0.5) / (df + 0.5));

/** "除了上法院打官司，还有哪些办法": what follows 除了 is what the caller does not want. */
const QUOTE_MARKS = /[“”「」『』"]/g;
const EXCEPT = /(除了|除去|不算|不包括|不考虑)[^，,。；？?！]*?(以外|之外|外)?[，,]/g;

export function analyseQuery(question: string, index: KeywordIndex, lexicon: Lexicon): AnalysedQuery {
  const cached = lexicon.recent.get(question);
  if (cached) return cached;
  const analysed = analyse(question, index, lexicon);
  if (lexicon.recent.size >= RECENT_ANALYSES) lexicon.recent.delete(lexicon.recent.keys().next().value!);
  lexicon.recent.set(question, analysed);
  return analysed;
}

function analyse(question: string, index: KeywordIndex, lexicon: Lexicon): AnalysedQuery {
  const corrected = lexicon.spelling.correct(question).text;
  const regions = findRegions(corrected);
  // A caller's quotation marks (按“最高标准”罚, 收「管理费」) mark how someone put it, not where a phrase ends.
  let text = corrected.replace(EXCEPT, "，").replace(QUOTE_MARKS, "");
  for (const region of regions) text = text.split(region).join(" ");
  // Region words are matched by region, not by text, so strip their short forms too.
  for (const word of queryWords(corrected)) if (findRegions(word).length) text = text.split(word).join(" ");

  const expansions = lexicon.thesaurus.expand(text);
  const concepts: Concept[] = expansions.map((e) => ({ forms: [e.phrase, ...e.alternatives], weight: 0, known: false, topical: true }));
  for (const word of queryWords(text)) {
    // A word inside a thesaurus phrase is that phrase's; a longer word holding one (特种设备 ⊃ 设备) stays its own.
    if (expansions.some((e) => e.phrase.includes(word))) continue;
    if (concepts.some((c) => c.forms[0] === word)) continue;
    // A phrase of its own that a longer one overlapped (骗子 in 被骗子骗走, read as 被骗) still says what it says.
    const alternatives = lexicon.thesaurus.alternativesOf(word) ?? [];
    concepts.push({ forms: [word, ...alternatives], weight: 0, known: false, topical: lexicon.thesaurus.knows(word) });
  }
  // An act said with one character and a complement (封了, 捆着) is the documents' verb holding that character (查封, 捆绑).
  for (const { asked, act } of spokenActs(words(text))) {
    const verbs = documentVerbs(act, (verb) => index.documentFrequency(`w:${verb}`) > 0);
    if (!verbs.length || concepts.some((c) => verbs.some((verb) => c.forms.includes(verb)))) continue;
    const said = concepts.find((c) => c.forms[0] === asked);
    if (said) said.forms.push(...verbs);
    else concepts.push({ forms: [asked, ...verbs], weight: 0, known: false, topical: true });
  }
  for (const concept of concepts) {
    const held = heldWord(index, concept.forms[0]);
    if (held && concept.forms.length === 1 && !formFrequency(index, concept.forms[0])) concept.forms.push(held);
    const df = Math.max(...concept.forms.map((f) => formFrequency(index, f)));
    concept.known = df > 0;
    concept.topical ||= concept.known;
    concept.weight = idfOf(index, df) * (NUMERIC.test(concept.forms[0]) ? 0.3 : 1);
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
  const embedText = [corrected, ...expansions.flatMap((e) => e.alternatives)].join(" ");
  return { text: corrected, concepts, terms, regions, embedText };
}

/** Words that are neither in the documents nor in the thesaurus weigh little: they are the caller's own story (饭馆, 桌子). */
const FILLER_WEIGHT = 0.1;

/** How much a concept counts towards coverage. */
export function conceptWeight(concept: Concept): number {
  if (concept.known || concept.topical) return concept.weight;
  return concept.weight * FILLER_WEIGHT;
}

/** Share of the question's concepts, weighted by rarity, that a text contains. */
export function coverage(concepts: Concept[], text: string): number {
  let total = 0;
  let matched = 0;
  for (const concept of concepts) {
    const weight = conceptWeight(concept);
    total += weight;
    if (concept.forms.some((form) => text.includes(form))) matched += weight;
  }
  return total ? matched / total : 0;
}

/** The summed weight of the concepts a text contains: how much evidence it gives, not what share. */
export function matchedWeight(concepts: Concept[], text: string): number {
  let matched = 0;
  for (const concept of concepts) if (concept.known && concept.forms.some((form) => text.includes(form))) matched += concept.weight;
  return matched;
}
