import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR } from "../../test/helpers.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { indexTerms } from "../search/tokenize.js";
import { type RelatedMeasure, RelatedQuestionIndex } from "./related-questions.js";

/** A fixed-seed generator: the same library and questions on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Questions worded from the seed's clauses in a question's frame, as staff write them: the frames' words are in most entries. */
function questionMaker(seed: number) {
  const phrases = buildCorpus(loadSeedFiles(SEEDS_DIR))
    .measures.flatMap((m) => m.text.split(/[，。；：、！？\s（）()“”《》]+/))
    .filter((p) => p.length >= 4 && p.length <= 18);
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const question = () =>
    `${pick(["", "", "请问", "企业", "个体户", "在哈密，"])}${pick(phrases)}${next() < 0.3 ? `，${pick(phrases)}` : ""}${pick(["怎么办理？", "有什么优惠？", "需要多长时间？", "吗？", "怎么申请？", ""])}`;
  return { question, next };
}

interface Taught {
  id: string;
  question: string;
  measureIds: string[];
  terms: string[];
}

/**
 * BM25 over every taught question, the way the index searched before it read lists in part: terms
 * in the question's order, ties in the order a pass over the lists meets entries (the question's
 * first term an entry holds, then the order they were taught), scores compared in Float32.
 */
function exhaustive(taught: Taught[]): (question: string, limit: number) => RelatedMeasure[] {
  const K1 = 1.2;
  const B = 0.75;
  const counted = taught.map((t) => {
    const frequencies = new Map<string, number>();
    for (const term of t.terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    return frequencies;
  });
  const df = new Map<string, number>();
  for (const frequencies of counted) for (const term of frequencies.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const average = taught.reduce((sum, t) => sum + t.terms.length, 0) / taught.length;
  return (question, limit) => {
    const scores = taught.map(() => 0);
    const first = taught.map(() => -1);
    const terms = [...new Set(indexTerms(question))].filter((term) => df.has(term));
    for (const [at, term] of terms.entries()) {
      const idf = Math.log(1 + (taught.length - df.get(term)! + 0.5) / (df.get(term)! + 0.5)) * (term.startsWith("w:") ? 1 : 0.5);
      for (const [e, frequencies] of counted.entries()) {
        const frequency = frequencies.get(term);
        if (!frequency) continue;
        if (first[e] < 0) first[e] = at;
        scores[e] += (idf * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * taught[e].terms.length) / average));
      }
    }
    const top = [...taught.keys()]
      .filter((e) => scores[e] > 0)
      .sort((a, b) => Math.fround(scores[b]) - Math.fround(scores[a]) || first[a] - first[b] || a - b)
      .slice(0, limit);
    return top.flatMap((e) =>
      taught[e].measureIds.map((measureId) => ({
        measureId,
        entryId: taught[e].id,
        question: taught[e].question,
        score: Math.fround(scores[e]) / Math.fround(scores[top[0]]),
      })),
    );
  };
}

/**
 * 3,000 taught questions, after 4,000 were taught, 2,500 of them removed (so the index's term pool
 * is compacted) and 1,500 more taught; some are refusals without measures, which are no one's text.
 */
function generatedLibrary(index: RelatedQuestionIndex) {
  const { question, next } = questionMaker(11);
  const taught = new Map<string, Taught>();
  const teach = (id: string) => {
    const entry = {
      id,
      question: question(),
      measureIds: next() < 0.05 ? [] : [`m${Math.floor(next() * 180)}`, ...(next() < 0.2 ? ["m7"] : [])],
      terms: [] as string[],
    };
    entry.terms = indexTerms(entry.question);
    index.put(id, entry.question, entry.measureIds);
    taught.delete(id);
    if (entry.measureIds.length) taught.set(id, entry);
  };
  for (let i = 0; i < 4000; i++) teach(`e${i}`);
  for (let i = 0; i < 2500; i++) {
    const id = `e${Math.floor(next() * 4000)}`;
    index.remove(id);
    taught.delete(id);
  }
  for (let i = 0; i < 1500; i++) teach(`e${Math.floor(next() * 5000)}`);
  const evalQuestions = readFileSync(new URL("../../eval/questions.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line).question as string);
  const entries = [...taught.values()];
  const questions = [
    ...evalQuestions,
    ...Array.from({ length: 100 }, (_, i) => entries[(i * 7919) % entries.length].question.replace(/？$/, "呢")),
    ...Array.from({ length: 100 }, question),
    ...["企业怎么办理？", "请问有什么优惠政策吗", "个体户需要多长时间？", "怎么申请"],
  ];
  return { entries, questions };
}

describe("related-question search", () => {
  it("ranks exactly as scoring every taught question does when only the max-score bound stops it", () => {
    const index = new RelatedQuestionIndex({ read: Number.POSITIVE_INFINITY, score: Number.POSITIVE_INFINITY });
    const { entries, questions } = generatedLibrary(index);
    const everyEntry = exhaustive(entries);
    for (const question of questions)
      for (const limit of [8, 3]) expect(index.search(question, limit), `${question}, ${limit}`).toEqual(everyEntry(question, limit));
  });

  it("keeps the top results of scoring every taught question when the budgets stop it, for every question with a rarer term", () => {
    // A read budget that stops most searches here, as the default does at 50,000 entries; the score budget a quarter of the default.
    const read = 500;
    const index = new RelatedQuestionIndex({ read, score: 256 });
    const { entries, questions } = generatedLibrary(index);
    const everyEntry = exhaustive(entries);
    const df = new Map<string, number>();
    for (const entry of entries) for (const term of new Set(entry.terms)) df.set(term, (df.get(term) ?? 0) + 1);
    let stopped = 0;
    let asked = 0;
    for (const question of questions) {
      const lists = [...new Set(indexTerms(question))].map((term) => df.get(term) ?? 0).filter((size) => size > 0);
      const expected = everyEntry(question, 8);
      if (lists.some((size) => size <= entries.length / 100)) {
        asked++;
        if (lists.reduce((sum, size) => sum + size, 0) > read) stopped++;
        expect(index.search(question), question).toEqual(expected);
      } else {
        // Without one, the budget decides which of the many alike are read: as many are found, not necessarily the same.
        const entryIds = (found: RelatedMeasure[]) => new Set(found.map((f) => f.entryId)).size;
        expect(entryIds(index.search(question)), question).toBe(entryIds(expected));
      }
    }
    // Most questions have a rarer term, and for most of them the budget is less than their lists.
    expect(asked).toBeGreaterThan(questions.length * 0.8);
    expect(stopped).toBeGreaterThan(asked / 2);
  });
});
