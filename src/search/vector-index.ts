import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;

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
    index.initIndex(Math.max(1, vectors.length), 16, 100, 42);
    vectors.forEach((vector, doc) => {
      index.addPoint(Array.from(vector), doc);
    });
    index.setEf(128);
    return new VectorIndex(index, dimension);
  }

  static read(path: string, dimension: number, expectedSize: number): VectorIndex {
    const index = new HierarchicalNSW("cosine", dimension);
    index.readIndexSync(path);
    if (index.getCurrentCount() !== expectedSize) {
      throw new Error(`vector index holds ${index.getCurrentCount()} vectors, expected ${expectedSize}`);
    }
    index.setEf(128);
    return new VectorIndex(index, dimension);
  }

  write(path: string): void {
    this.index.writeIndexSync(path);
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const limit = Math.min(k, this.size);
    if (!limit) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), limit);
    return neighbors.map((doc, i) => ({ doc, similarity: 1 - distances[i] }));
  }
}
