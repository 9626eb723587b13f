import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { clusterBy, SAME_NEED } from "./clusters.js";
import { blockingKeys, needSimilarity, type ReadQuestion, readQuestion } from "./need-similarity.js";

interface Paraphrases {
  needs: Array<{ need: string; paraphrases: string[] }>;
  unrelated: string[];
  alone: string[];
}

const data = JSON.parse(readFileSync(new URL("./__fixtures__/paraphrases.json", import.meta.url), "utf8")) as Paraphrases;
let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

type Item = ReadQuestion & { need: string };
const read = (question: string, need: string): Item => ({ ...readQuestion(question, knowledgeBase), need });
const items = () => [
  ...data.needs.flatMap((n) => n.paraphrases.map((q) => read(q, n.need))),
  ...data.unrelated.map((q, i) => read(q, `unrelated ${i}`)),
  ...data.alone.map((q, i) => read(q, `alone ${i}`)),
];

describe("clusters of paraphrases", () => {
  it("puts each need's paraphrases in one cluster and nothing else with them", () => {
    const all = items();
    const clusters = clusterBy(all, needSimilarity, { keys: blockingKeys(all) });
    for (const { need, paraphrases } of data.needs) {
      const holding = clusters.filter((c) => c.members.some((m) => m.need === need));
      expect(
        holding.map((c) => c.members.map((m) => m.question)),
        need,
      ).toEqual([paraphrases]);
    }
    for (const question of [...data.unrelated, ...data.alone]) {
      expect(clusters.find((c) => c.members.some((m) => m.question === question))?.members.length, question).toBe(1);
    }
  });

  it("keeps a margin on both sides of the threshold: paraphrases of one need score above it, unrelated pairs below", () => {
    const all = items();
    let lowestWithin = 1;
    let highestAcross = 0;
    for (const [i, a] of all.entries())
      for (const b of all.slice(i + 1)) {
        const score = needSimilarity(a, b);
        if (a.need === b.need && !a.need.startsWith("alone")) lowestWithin = Math.min(lowestWithin, score);
        else if (a.need !== b.need) highestAcross = Math.max(highestAcross, score);
      }
    expect(lowestWithin).toBeGreaterThan(SAME_NEED);
    expect(highestAcross).toBeLessThan(SAME_NEED);
  });

  it("joins the thesaurus's words for one thing (稳岗补贴, 稳岗返还) and keeps places apart (哈密, 克拉玛依)", () => {
    expect(needSimilarity(read("稳岗补贴还能领吗", ""), read("稳岗返还今年还能申请吗", ""))).toBe(1);
    expect(needSimilarity(read("哈密的检测费能减免吗", ""), read("克拉玛依的检测费能减免吗", ""))).toBe(0);
  });

  it("does not chain: a question joins the cluster it resembles on average, not one member of it", () => {
    const similar: Record<string, number> = { "a-b": 0.9, "b-c": 0.9, "a-c": 0 };
    const score = (x: string, y: string) => similar[[x, y].sort().join("-")] ?? 0;
    expect(clusterBy(["a", "b", "c"], score, { threshold: 0.5 }).map((c) => c.members)).toEqual([["a", "b"], ["c"]]);
  });
});
