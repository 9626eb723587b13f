import { stripFrames } from "../conversation/question-frames.js";
import type { KeywordIndex } from "../search/keyword-index.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { normalizeQuestion } from "../search/normalize.js";
import { analyseQuery } from "../search/query.js";
import type { Thesaurus } from "../search/thesaurus.js";
import { bigrams, wordKind } from "../search/tokenize.js";

/**
 * A concept this rare (in at most ~3% of clauses, or in none) names a topic of its own: the same bar `ask` uses for a
 * question that stands alone (SPECIFIC_TOPIC_WEIGHT in core/ask.ts).
 */
export const RARE_TOPIC_WEIGHT = 3.5;
/** Below this a concept is a common word of the documents (企业, 办理) and says little about which need a question is. */
export const TOPIC_WEIGHT = 1.5;

/**
 * Words of these kinds name things (nouns, verbal nouns, abbreviations, idioms, Latin words): 稳岗返还, 增值税, 合规.
 * The analyser's other rare words (安排, 一批, 当时, 不能, 了解) say how a question is put, not what it is about.
 */
const NAMES_A_THING = /^(n|vn|j|l|eng|x)/;

/** One thing a question is about, with every way the documents and the public say it. */
export interface Topic {
  /** The words as asked. */
  label: string;
  forms: string[];
  /** How rare it is among the clauses (an idf); a topic no clause names weighs the most. */
  weight: number;
}

interface Phrase {
  phrase: string;
  forms: string[];
}

const phraseIndexes = new WeakMap<Thesaurus, Phrase[]>();

/**
 * Every phrase of the thesaurus, on either side, longest first, each with all the words of its entry. The analyser
 * expands only the public's phrases; a question that uses the documents' own term (稳岗返还) must be read as a topic too,
 * or jieba leaves only 返还 of it, which a clause about 返还被骗款项 has.
 */
function phrasesOf(thesaurus: Thesaurus): Phrase[] {
  let phrases = phraseIndexes.get(thesaurus);
  if (phrases) return phrases;
  const byPhrase = new Map<string, Set<string>>();
  for (const entry of thesaurus.entries) {
    const words = [...entry.public, ...entry.documents.flatMap((t) => t.split(/[、，,；;。\s]+/))].filter((w) => w.length > 1);
    for (const word of words) {
      const forms = byPhrase.get(word) ?? new Set<string>([word]);
      for (const other of words) forms.add(other);
      byPhrase.set(word, forms);
    }
  }
  phrases = [...byPhrase].map(([phrase, forms]) => ({ phrase, forms: [phrase, ...[...forms].filter((f) => f !== phrase)] }));
  phrases.sort((a, b) => b.phrase.length - a.phrase.length);
  phraseIndexes.set(thesaurus, phrases);
  return phrases;
}

/** An upper bound of how many clauses contain a form (as query.ts reads it): its word, or its rarest bigram. */
function formFrequency(index: KeywordIndex, form: string): number {
  const grams = bigrams(form);
  return index.documentFrequency(`w:${form}`) || (grams.length ? Math.min(...grams.map((g) => index.documentFrequency(`b:${g}`))) : 0);
}

const idfOf = (index: KeywordIndex, df: number) => Math.log(1 + (index.size - df + 0.5) / (df + 0.5));

/**
 * What a question is about, without what it asks of it (its frame: by when, where, how to apply): the thesaurus
 * phrases it contains on either side, longest first and never overlapping, then the analyser's other concepts that
 * the documents or the thesaurus know, at least TOPIC_WEIGHT rare, that name a thing.
 */
export function questionTopics(question: string, knowledgeBase: KnowledgeBase): Topic[] {
  // Read once per knowledge base: the queue reads the same questions on every visit, and reading one costs ~2 ms.
  const cache = topicCaches.get(knowledgeBase) ?? new Map<string, Topic[]>();
  topicCaches.set(knowledgeBase, cache);
  const known = cache.get(question);
  if (known) return known;
  const topics = readTopics(question, knowledgeBase);
  if (cache.size >= CACHED_QUESTIONS) cache.delete(cache.keys().next().value!);
  cache.set(question, topics);
  return topics;
}

const CACHED_QUESTIONS = 20_000;
const topicCaches = new WeakMap<KnowledgeBase, Map<string, Topic[]>>();

function readTopics(question: string, knowledgeBase: KnowledgeBase): Topic[] {
  const index = knowledgeBase.index.keywordIndex;
  const text = stripFrames(normalizeQuestion(question));
  const topics: Topic[] = [];
  let rest = text;
  for (const { phrase, forms } of phrasesOf(knowledgeBase.lexicon.thesaurus)) {
    if (!rest.includes(phrase)) continue;
    rest = rest.split(phrase).join("\u0000");
    topics.push({ label: phrase, forms, weight: idfOf(index, Math.max(...forms.map((f) => formFrequency(index, f)))) });
  }
  for (const concept of analyseQuery(text, index, knowledgeBase.lexicon).concepts) {
    if (!(concept.known || concept.topical) || concept.weight < TOPIC_WEIGHT || !NAMES_A_THING.test(wordKind(concept.forms[0]))) continue;
    // A word inside a phrase already read (返还 of 稳岗返还) is that phrase's.
    if (topics.some((t) => t.label.includes(concept.forms[0]))) continue;
    topics.push({ label: concept.forms[0], forms: concept.forms, weight: concept.weight });
  }
  return topics;
}
