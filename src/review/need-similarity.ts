import { findRegions } from "../corpus/regions.js";
import { jaccard, keyGrams, questionKey } from "../library/similarity.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { normalizeQuestion } from "../search/normalize.js";
import { queryWords } from "../search/tokenize.js";
import { questionTopics, type Topic } from "./topics.js";

/** A question read once for comparing: its key's bigrams, the places it names, and its topics with their words. */
export interface ReadQuestion {
  question: string;
  grams: Set<string>;
  /** Places must be equal: 哈密's clauses are not 克拉玛依's. Figures may differ (贷款100万, 200万): the same clauses answer. */
  places: string;
  topics: ReadTopic[];
}

interface ReadTopic extends Topic {
  formSet: Set<string>;
  /** The words of its label (来检查 → 检查), for a partial match between topics the thesaurus does not join. */
  words: string[];
}

export function readQuestion(question: string, knowledgeBase: KnowledgeBase): ReadQuestion {
  return {
    question,
    grams: keyGrams(questionKey(question)),
    places: findRegions(normalizeQuestion(question)).sort().join(","),
    topics: questionTopics(question, knowledgeBase).map((topic) => ({ ...topic, formSet: new Set(topic.forms), words: queryWords(topic.label) })),
  };
}

/**
 * How well a topic is matched by one of another question's: fully when they share a form (the thesaurus joins
 * 稳岗补贴 and 稳岗返还) or one's words as asked hold the other's (检验检测费 holds 检测), half when their labels share a word
 * (来检查, 执法检查), else not at all.
 */
function matchOf(topic: ReadTopic, others: ReadTopic[]): number {
  let best = 0;
  for (const other of others) {
    if (topic.label.includes(other.label) || other.label.includes(topic.label) || topic.forms.some((form) => other.formSet.has(form))) return 1;
    if (topic.words.some((word) => other.words.includes(word))) best = 0.5;
  }
  return best;
}

/**
 * How much two questions are about the same things: the weight of the topics each shares with the other (a topic
 * matches another when they share a form, so 稳岗补贴 meets 稳岗返还 through the thesaurus) over the weight of all.
 */
export function topicOverlap(a: ReadTopic[], b: ReadTopic[]): number {
  const total = [...a, ...b].reduce((sum, topic) => sum + topic.weight, 0);
  if (!total) return 0;
  const shared = (from: ReadTopic[], to: ReadTopic[]) => from.reduce((sum, topic) => sum + topic.weight * matchOf(topic, to), 0);
  return (shared(a, b) + shared(b, a)) / total;
}

/**
 * How likely two questions are one need, 0..1: the closer of their wording (bigram Jaccard, as the library matches)
 * and their topics; 0 when they name different places (哈密 vs 克拉玛依).
 */
export function needSimilarity(a: ReadQuestion, b: ReadQuestion): number {
  if (a.places !== b.places) return 0;
  return Math.max(jaccard(a.grams, b.grams), topicOverlap(a.topics, b.topics));
}

/** A key in more than this share of the questions (怎么, 企业) says nothing about which need a question is. */
const COMMON_KEY_SHARE = 0.05;

/**
 * The keys to compare questions through (clusters.ts): their bigrams and their topics' forms and words, but the
 * common ones. Two questions sharing none score below any threshold worth using.
 */
export function blockingKeys(questions: ReadQuestion[]): (question: ReadQuestion) => string[] {
  const keysOf = (q: ReadQuestion) => [
    ...new Set([...[...q.grams].map((gram) => `b:${gram}`), ...q.topics.flatMap((topic) => [...topic.forms, ...topic.words].map((key) => `t:${key}`))]),
  ];
  const frequency = new Map<string, number>();
  for (const q of questions) for (const key of keysOf(q)) frequency.set(key, (frequency.get(key) ?? 0) + 1);
  const common = Math.max(20, questions.length * COMMON_KEY_SHARE);
  return (q) => keysOf(q).filter((key) => (frequency.get(key) ?? 0) <= common);
}
