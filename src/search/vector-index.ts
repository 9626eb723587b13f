import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;

/**
 * Lexical hashed vectors are flat, and re-issued copies crowd them: a search
 * as wide as a thirtieth of the index (300 to 3,000) keeps recall@10 near
 * exact at a few milliseconds (bench/results.json).
 */
const searchEf = (size: number) => Math.min(3000, Math.max(300, Math.round(size / 30)));

export interface VectorHit {
  doc: number;
  similarity: number;
}

/** Approximate nearest neighbours (cosine) over unit vectors, in hnswlib. */
export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimension: number,
  ) {}

  static build(vectors: Float32Array[], dimension: number): VectorIndex {
    const index = new HierarchicalNSW("cosine", dimension);
    index.initIndex(Math.max(1, vectors.length), 24, 200, 42);
    vectors.forEach((vector, doc) => {
      index.addPoint(Array.from(vector), doc);
    });
    index.setEf(searchEf(vectors.length));
    return new VectorIndex(index, dimension);
  }

  /** Reads on a worker thread, so a start can parse the corpus meanwhile. */
  static async read(path: string, dimension: number, expectedSize?: number): Promise<VectorIndex> {
    const index = new HierarchicalNSW("cosine", dimension);
    await index.readIndex(path);
    const vectors = new VectorIndex(index, dimension);
    vectors.expectSize(expectedSize);
    index.setEf(searchEf(vectors.size));
    return vectors;
  }

  expectSize(expected?: number): void {
    if (expected !== undefined && this.size !== expected) throw new Error(`vector index holds ${this.size} vectors, expected ${expected}`);
  }

  write(path: string): void {
    this.index.writeIndexSync(path);
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  /** The stored vector of one document, for exact-search comparisons. */
  point(doc: number): Float32Array {
    return Float32Array.from(this.index.getPoint(doc));
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const limit = Math.min(k, this.size);
    if (!limit) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), limit);
    return neighbors.map((doc, i) => ({ doc, similarity: 1 - distances[i] }));
  }
}
