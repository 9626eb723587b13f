import { describe, expect, it } from "vitest";
import { SEEDS_DIR } from "../../test/helpers.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { type NearDuplicate, NearDuplicateIndex } from "./near-duplicates.js";
import { jaccard, keyGrams, questionAnchors, questionKey } from "./similarity.js";

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

/**
 * Questions worded from the seed's clauses, and rewordings of them: a character dropped, added or
 * changed, a place or a figure put in. Rewordings land on both sides of every threshold, so the
 * prefix has to hold the right grams for the answer to come out the same.
 */
function questionMaker(seed: number) {
  const phrases = buildCorpus(loadSeedFiles(SEEDS_DIR))
    .measures.flatMap((m) => m.text.split(/[，。；：、！？\s（）()“”《》]+/))
    .filter((p) => p.length >= 4 && p.length <= 16);
  const chars = [...phrases.join("")];
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const fresh = () => `${pick(["", "", "请问", "在哈密，", "在克拉玛依，", "贷款100万元"])}${pick(phrases)}${pick(["吗", "怎么办", "要多久", "？", ""])}`;
  const bases = Array.from({ length: 300 }, fresh);
  const reword = (question: string) => {
    const at = [...question];
    for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits--) {
      const i = Math.floor(next() * (at.length + 1));
      const roll = next();
      if (roll < 0.35) at.splice(i, 1);
      else if (roll < 0.7) at.splice(i, 0, pick(chars));
      else at[Math.min(i, at.length - 1)] = pick(chars);
    }
    return at.join("");
  };
  return { fresh, reword: () => reword(pick(bases)), next };
}

interface Taught {
  id: string;
  key: string;
  grams: Set<string>;
  anchors: string;
}

/**
 * Every taught question compared with the asked one, as `find` promises to answer: the one taught
 * under the same key alone, else those at least `threshold` alike naming the same places and
 * figures, closest first, ties in the order reading each of the question's grams' lists in turn met
 * them (the question's first shared gram, then the order they were taught).
 */
function bruteForce(taught: Taught[], question: string): (threshold: number, limit: number) => NearDuplicate[] {
  const key = questionKey(question);
  const same = taught.find((t) => t.key === key);
  if (same) return () => [{ id: same.id, similarity: 1 }];
  const grams = keyGrams(key);
  const order = [...grams];
  const anchors = questionAnchors(question);
  const alike = taught
    .map((t, at) => ({ id: t.id, similarity: jaccard(grams, t.grams), first: order.findIndex((gram) => t.grams.has(gram)), at, anchors: t.anchors }))
    .filter((t) => t.first >= 0 && t.anchors === anchors)
    .sort((a, b) => b.similarity - a.similarity || a.first - b.first || a.at - b.at);
  return (threshold, limit) =>
    alike
      .filter((t) => t.similarity >= threshold)
      .slice(0, limit)
      .map(({ id, similarity }) => ({ id, similarity }));
}

describe("near-duplicate lookup", () => {
  it("finds exactly what comparing with every taught question finds, over 3,000 generated entries, with removals and reteachings", () => {
    const { fresh, reword, next } = questionMaker(7);
    const index = new NearDuplicateIndex();
    // Taught order is insertion order: a retaught entry moves to the end, as it does in the index.
    const taught = new Map<string, string>();
    const keys = new Set<string>();
    for (let i = 0; taught.size < 3000; i++) {
      const question = next() < 0.5 ? fresh() : reword();
      // One entry per key, as the library refuses a second.
      if (keys.has(questionKey(question))) continue;
      const id = `e${Math.floor(next() * 3300)}`;
      if (taught.has(id)) keys.delete(questionKey(taught.get(id)!));
      taught.delete(id);
      taught.set(id, question);
      keys.add(questionKey(question));
      index.put(id, question);
      if (i % 20 === 0) {
        const gone = [...taught.keys()][Math.floor(next() * taught.size)];
        keys.delete(questionKey(taught.get(gone)!));
        taught.delete(gone);
        index.remove(gone);
      }
    }
    expect(index.size).toBe(taught.size);
    const entries = [...taught].map(([id, question]) => ({
      id,
      key: questionKey(question),
      grams: keyGrams(questionKey(question)),
      anchors: questionAnchors(question),
    }));

    let found = 0;
    let tied = 0;
    let cut = 0;
    for (let q = 0; q < 400; q++) {
      const question = q % 10 === 0 ? [...taught.values()][q] : reword();
      const expected = bruteForce(entries, question);
      for (const threshold of [0.6, 0.45, 0.8])
        for (const limit of [5, 50]) {
          expect(index.find(question, threshold, limit), `${question} at ${threshold}, ${limit}`).toEqual(expected(threshold, limit));
          const all = expected(threshold, Number.POSITIVE_INFINITY);
          found += all.length;
          if (new Set(all.map((f) => f.similarity)).size < all.length) tied++;
          if (all.length > limit) cut++;
        }
    }
    // The comparison means something only if the lookups find things, tie and get cut by the limit.
    expect(found).toBeGreaterThan(1000);
    expect(tied).toBeGreaterThan(50);
    expect(cut).toBeGreaterThan(20);
  });
});
