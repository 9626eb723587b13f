import { readFileSync, rmSync } from "node:fs";
import hnswlib from "hnswlib-node";
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

describe("VectorIndex changed in place by a publish", () => {
  // Random unit vectors in 16 dimensions, searched through the graph (no full scan) as a large corpus is.
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return (seed / 2147483647) * 2 - 1;
  };
  const many = Array.from({ length: 60 }, () => unit(Array.from({ length: 16 }, random)));
  const graph = { fullScanPoints: 0 };

  it("drops removed measures from the graph, so k live hits still come back", () => {
    const index = VectorIndex.build(many, 16, graph);
    // The first 45 measures are retired; 5 new ones arrive after the 15 kept.
    const added = Array.from({ length: 5 }, () => unit(Array.from({ length: 16 }, random)));
    const previous = Int32Array.from([...Array.from({ length: 15 }, (_, k) => 45 + k), -1, -1, -1, -1, -1]);
    const next = index.changed(previous, added, graph);
    expect(next.size).toBe(20);
    for (const query of [...many.slice(0, 5), ...added]) {
      const hits = next.search(query, 10);
      expect(hits).toHaveLength(10);
      expect(new Set(hits.map((h) => h.doc)).size).toBe(10);
    }
    // An added measure is its own nearest; a kept one keeps its vector under its new position.
    expect(next.search(added[2], 1)[0].doc).toBe(17);
    expect(next.search(many[50], 1)[0].doc).toBe(5);
  });

  it("grows the graph when publishes have used the room a build left", () => {
    const index = VectorIndex.build(many.slice(0, 30), 16, graph);
    // More than the room a build of 30 leaves (2,000 points): the graph grows during this publish.
    const added = Array.from({ length: 2_500 }, () => unit(Array.from({ length: 16 }, random)));
    const next = index.changed(Int32Array.from([...Array.from({ length: 30 }, (_, k) => k), ...added.map(() => -1)]), added, graph);
    expect(next.points).toBe(2_530);
    for (const k of [0, 1_234, 2_499]) expect(next.search(added[k], 1)[0].doc).toBe(30 + k);
    expect(index.search(many[3], 1)[0].doc).toBe(3);
  });

  it("leaves room for a publish's points in a built graph and in a graph read full", async () => {
    const folder = temporaryDirectory();
    try {
      // hnswlib's file starts with the level-0 offset, then the graph's capacity (64-bit each).
      const capacity = (path: string) => Number(readFileSync(path).readBigUInt64LE(8));
      VectorIndex.build(many, 16, graph).write(`${folder}/built.hnsw`);
      expect(capacity(`${folder}/built.hnsw`)).toBeGreaterThanOrEqual(60 + 2_000);
      // A graph saved with no room, as older code saved it: read, it gets room before any publish.
      const full = new hnswlib.HierarchicalNSW("cosine", 16);
      full.initIndex(60, 24, 200, 42);
      many.forEach((vector, point) => {
        full.addPoint(Array.from(vector), point);
      });
      full.writeIndexSync(`${folder}/full.hnsw`);
      expect(capacity(`${folder}/full.hnsw`)).toBe(60);
      const read = await VectorIndex.read(
        `${folder}/full.hnsw`,
        16,
        Uint32Array.from(many, (_, k) => k),
        graph,
      );
      read.write(`${folder}/read.hnsw`);
      expect(capacity(`${folder}/read.hnsw`)).toBeGreaterThanOrEqual(60 + 2_000);
      expect(read.search(many[7], 1)[0].doc).toBe(7);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("leaves the index it replaced searching its own measures", () => {
    const index = VectorIndex.build(many.slice(0, 30), 16, graph);
    const added = [unit(Array.from({ length: 16 }, random))];
    index.changed(Int32Array.from([...Array.from({ length: 30 }, (_, k) => k), -1]), added, graph);
    const hits = index.search(added[0], 30);
    expect(hits).toHaveLength(30);
    expect(hits.every((h) => h.doc < 30)).toBe(true);
  });
});
