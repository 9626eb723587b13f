import { describe, expect, it } from "vitest";
import { KeywordIndex, topK, type WeightedTerm } from "./keyword-index.js";
import { indexTerms } from "./tokenize.js";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Clauses as the generated national corpus has them: a few re-issued word for word (ties), the rest sentences
 * of common and rare phrases, of very different lengths (different length norms), some phrases in most clauses
 * (skipped as too common above 1,000 clauses), some in a few (a query of those scores a few dozen clauses).
 */
function clauses(count: number, next: () => number): string[] {
  const common = ["企业", "办理", "时间", "服务", "政策"];
  const phrases = [
    "检验检测费用",
    "减免",
    "小微企业",
    "个体工商户",
    "贷款贴息",
    "稳岗返还",
    "专利质押",
    "不动产登记",
    "电梯检测",
    "社会保险",
    "房屋租金",
    "歇业备案",
  ];
  const rare = ["绿色通道", "联合过户", "集装箱"];
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    if (texts.length > 10 && next() < 0.1) {
      texts.push(texts[Math.floor(next() * texts.length)]);
      continue;
    }
    const words: string[] = [];
    for (let w = 0, length = 1 + Math.floor(next() * next() * 30); w < length; w++)
      words.push(next() < 0.4 ? common[Math.floor(next() * common.length)] : phrases[Math.floor(next() * phrases.length)]);
    if (next() < 0.03) words.push(rare[Math.floor(next() * rare.length)]);
    texts.push(words.join("，"));
  }
  return texts;
}

const QUERIES: WeightedTerm[][] = [
  [
    { term: "w:企业", weight: 1 },
    { term: "b:检验", weight: 1 },
    { term: "b:检测", weight: 0.6 },
    { term: "w:减免", weight: 1 },
  ],
  [
    { term: "b:贷款", weight: 0.7 },
    { term: "b:贴息", weight: 0.7 },
    { term: "w:小微企业", weight: 1 },
    { term: "b:办理", weight: 0.5 },
  ],
  [
    { term: "w:稳岗返还", weight: 1 },
    { term: "b:时间", weight: 0.3 },
    { term: "w:服务", weight: 0.6 },
    { term: "b:没有", weight: 1 },
  ],
  [
    { term: "b:政策", weight: 1 },
    { term: "b:企业", weight: 1 },
    { term: "b:服务", weight: 1 },
  ],
  [{ term: "w:歇业备案", weight: 1 }],
  [
    { term: "b:绿色", weight: 1 },
    { term: "b:通道", weight: 1 },
    { term: "b:过户", weight: 0.6 },
    { term: "b:装箱", weight: 0.4 },
  ],
];

/** What a retriever did before the fast path: every score, each multiplied in place by its factor, then topK. */
function exhaustive(index: KeywordIndex, query: WeightedTerm[], k: number, factors: Float32Array, groupOf: Uint32Array) {
  const scores = index.scoreAll(query);
  for (let doc = 0; doc < scores.length; doc++) scores[doc] *= factors[groupOf[doc]];
  const docs = topK(scores, k);
  return { docs, scores: docs.map((doc) => scores[doc]) };
}

/** Groups of documents (as places) with factors as a place and a named document give them, the largest rare. */
function preferences(size: number, next: () => number) {
  const levels = [0.3, 0.3, 0.6, 0.8, 0.85, 1, 1, 1.3, 1.82];
  const factors = Float32Array.from({ length: 40 }, () => levels[Math.floor(next() * levels.length)]);
  const groupOf = Uint32Array.from({ length: size }, () => Math.floor(next() * factors.length));
  return { factors, groupOf };
}

describe("keyword scorer", () => {
  const next = random(7);
  const texts = clauses(3000, next);
  const index = KeywordIndex.build(texts);

  it("gives every document the score scoreAll gives it, and the same top k once weighed, ties and all", () => {
    for (const query of QUERIES)
      for (const k of [1, 8, 60, 500]) {
        const { factors, groupOf } = preferences(index.size, next);
        const all = index.scoreAll(query);
        const scorer = index.scorer(query);
        expect(Array.from({ length: index.size }, (_, doc) => scorer.score(doc))).toEqual(Array.from(all));
        expect(scorer.top(k, factors, groupOf)).toEqual(exhaustive(index, query, k, factors, groupOf));
      }
  });

  it("weighs by the largest factor when one group's factor is far above the rest", () => {
    const { groupOf } = preferences(index.size, next);
    const factors = new Float32Array(40).fill(0.3);
    factors[groupOf[texts.length - 1]] = 1.82;
    for (const query of QUERIES) expect(index.scorer(query).top(20, factors, groupOf)).toEqual(exhaustive(index, query, 20, factors, groupOf));
  });

  it("starts clean after a scorer whose top was never taken", () => {
    const { factors, groupOf } = preferences(index.size, next);
    for (const [left, asked] of [
      [0, 1],
      [5, 1],
      [0, 5],
    ]) {
      index.scorer(QUERIES[left]);
      expect(index.scorer(QUERIES[asked]).top(60, factors, groupOf)).toEqual(exhaustive(index, QUERIES[asked], 60, factors, groupOf));
    }
  });

  it("agrees with scoreAll after a publish in place, removed clauses and all", () => {
    const removedAt = new Set([3, 17, 400, 2999]);
    const kept = texts.map((_, i) => i).filter((i) => !removedAt.has(i));
    const added = clauses(50, next);
    // The new corpus: the kept clauses in order, the added ones at its end.
    const previous = Int32Array.from([...kept, ...added.map(() => -1)]);
    const changed = index.changed({
      previous,
      removed: [...removedAt].map((i) => indexTerms(texts[i])),
      added: added.map((text) => indexTerms(text)),
    });
    expect(changed.layers).toBe(2);
    for (const query of QUERIES) {
      const { factors, groupOf } = preferences(changed.size, next);
      const all = changed.scoreAll(query);
      const scorer = changed.scorer(query);
      expect(Array.from({ length: changed.size }, (_, doc) => scorer.score(doc))).toEqual(Array.from(all));
      expect(scorer.top(60, factors, groupOf)).toEqual(exhaustive(changed, query, 60, factors, groupOf));
    }
  });
});
