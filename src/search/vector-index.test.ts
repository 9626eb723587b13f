import { describe, expect, it } from "vitest";
import { seedKnowledgeBase, temporaryDirectory } from "../../test/helpers.js";
import { VectorIndex } from "./vector-index.js";

const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
};

describe("VectorIndex", () => {
  // Three measures re-issue one clause word for word; two others differ.
  const copied = unit([1, 0.2, 0, 0]);
  const vectors = [unit([0, 1, 0, 0]), copied, unit([0, 0, 1, 0.1]), Float32Array.from(copied), Float32Array.from(copied)];

  it("stores identical vectors once, and a hit stands for every measure that has it", () => {
    const index = VectorIndex.build(vectors, 4);
    expect(index.size).toBe(5);
    expect(index.points).toBe(3);
    const hits = index.search(unit([1, 0.2, 0, 0]), 5);
    expect(hits.slice(0, 3).map((h) => h.doc)).toEqual([1, 3, 4]);
    expect(hits[0].similarity).toBeCloseTo(1, 5);
    expect(hits[2].similarity).toBe(hits[0].similarity);
    expect(hits).toHaveLength(5);
    expect([...index.point(4)]).toEqual([...copied]);
  });

  it("stops at k even inside a group of copies", () => {
    const index = VectorIndex.build(vectors, 4);
    expect(index.search(copied, 2).map((h) => h.doc)).toEqual([1, 3]);
  });

  it("reads back what it wrote, with the measures' points kept beside it", async () => {
    const built = VectorIndex.build(vectors, 4);
    const path = `${temporaryDirectory()}/vectors.hnsw`;
    built.write(path);
    const read = await VectorIndex.read(path, 4, built.pointOf);
    expect(read.search(copied, 3).map((h) => h.doc)).toEqual([1, 3, 4]);
    await expect(VectorIndex.read(path, 4, Uint32Array.from([0, 1, 7]))).rejects.toThrow(/past the 3 stored vectors/);
  });
});

describe("VectorIndex on the seed", () => {
  it("scans a small index exactly, finding what hnswlib's graph finds, with the same similarities", async () => {
    const kb = await seedKnowledgeBase();
    const vectors = kb.corpus.measures.map((m) => kb.index.vectorIndex.point(kb.corpus.measures.indexOf(m)));
    const scanned = VectorIndex.build(vectors, vectors[0].length);
    const graph = VectorIndex.build(vectors, vectors[0].length, { fullScanPoints: 0 });
    for (const question of ["我的企业能减免多少检测费？", "哈密市居民用电价格", "公司刻章备案要多长时间", "专利年费滞纳金"]) {
      const [query] = await kb.index.embedder.embed([question]);
      const exact = scanned.search(query, 10);
      const approximate = graph.search(query, 10);
      expect(exact.map((h) => h.doc)).toEqual(approximate.map((h) => h.doc));
      for (const [i, hit] of exact.entries()) expect(hit.similarity).toBeCloseTo(approximate[i].similarity, 5);
    }
  });
});
