import hnswlib from "hnswlib-node";
import { topK } from "./keyword-index.js";

const { HierarchicalNSW } = hnswlib;

/**
 * How wide a search looks: recall@10 against exact search on the realistic
 * generated corpus (bench/generate.ts) was 0.94 at 200 and 0.96 at 400 for
 * 100,000 distinct vectors, at 0.5 and 0.65 ms; 3,000 bought 0.98 for 4.8 ms.
 * A graph ten times larger needs about three times the width.
 */
const searchEf = (points: number) => Math.min(1500, Math.max(100, Math.round(1.3 * Math.sqrt(points))));

/**
 * How wide each insertion looks. 200 keeps recall@10 at 0.96 for a 400-wide search of 100,000 distinct
 * vectors; hnswlib-node inserts on one thread, and at a million points 200 alone would take past ten
 * minutes: a large graph is built at 100 (half the time) and searched wider instead.
 */
const constructionEf = (points: number) => (points > 300_000 ? 100 : 200);

export interface VectorHit {
  doc: number;
  similarity: number;
}

/** FNV-1a over a vector's bits: a bucket for finding identical vectors, which are then compared in full. */
function bitsHash(vector: Float32Array): number {
  const words = new Uint32Array(vector.buffer, vector.byteOffset, vector.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

/**
 * Up to this many stored vectors a search reads them all: cheaper than hnswlib's call (which copies the
 * query element by element across N-API) and exact. Qdrant's full_scan_threshold is the same idea.
 */
const FULL_SCAN_POINTS = 2_000;

/**
 * Room kept in the graph for the points of publishes in place, which add at most 2,000 clauses or a tenth of
 * the corpus (update-index.ts): growing it during a publish (`resizeIndex`) reallocates every point's links and
 * lock, so a build and a start make the room instead.
 */
const spareFor = (points: number) => Math.max(2_000, Math.ceil(0.1 * points));

export interface VectorIndexOptions {
  /** Scan every stored vector, not the graph, up to this many (FULL_SCAN_POINTS). */
  fullScanPoints?: number;
}

const sameBits = (a: Float32Array, b: Float32Array) => {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

/**
 * Approximate nearest neighbours (cosine) over unit vectors, in hnswlib.
 *
 * Identical vectors are stored once. Cities re-issue their province's clauses
 * word for word, so at national scale a clause's text comes back hundreds of
 * times (the 100,000-measure benchmark holds 5,439 distinct vectors): in the
 * graph those copies are cliques that trap a search, which then needed a width
 * of 3,000 to stay near exact. Stored once, the graph is small and a narrow
 * search is exact; a hit stands for every measure with that vector.
 */
export class VectorIndex {
  /** The measures of each stored point, grouped: point p's are docs[offsets[p]] up to docs[offsets[p + 1]]. */
  private readonly offsets: Uint32Array;
  private readonly docs: Uint32Array;
  /** Every stored vector, row after row, when there are few enough to scan. */
  private readonly scan?: Float32Array;

  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimension: number,
    /** Each measure's stored point. */
    readonly pointOf: Uint32Array,
    fullScanPoints: number,
  ) {
    const points = index.getCurrentCount();
    const offsets = new Uint32Array(points + 1);
    for (let doc = 0; doc < pointOf.length; doc++) offsets[pointOf[doc]]++;
    for (let p = 1; p <= points; p++) offsets[p] += offsets[p - 1];
    this.docs = new Uint32Array(pointOf.length);
    // Filled backwards from each point's end, the offsets step down to each point's start: no cursor array to allocate.
    for (let doc = pointOf.length - 1; doc >= 0; doc--) this.docs[--offsets[pointOf[doc]]] = doc;
    this.offsets = offsets;
    if (points <= fullScanPoints) {
      this.scan = new Float32Array(points * dimension);
      // A point no measure holds any more was deleted from the graph, which no longer gives it out.
      for (let p = 0; p < points; p++) if (this.offsets[p + 1] > this.offsets[p]) this.scan.set(index.getPoint(p), p * dimension);
    }
  }

  /**
   * The index after one publish, in place: the added measures' vectors join the graph (`addPoint`), and a
   * point no measure holds any more is deleted from it (`markDelete`). `previous` gives, for each position of
   * the new corpus, the measure's position before or -1 for an added one, whose vectors come in `added` in
   * position order. The graph is shared with this index, which searches under way may still be using: a
   * point added after it was made is not one of its points and is passed over.
   */
  changed(previous: Int32Array, added: Float32Array[], { fullScanPoints = FULL_SCAN_POINTS }: VectorIndexOptions = {}): VectorIndex {
    const { index } = this;
    const pointOf = new Uint32Array(previous.length);
    const held = new Uint8Array(index.getCurrentCount() + added.length);
    const fresh = new Map<number, Array<{ vector: Float32Array; point: number }>>();
    let next = index.getCurrentCount();
    const newVectors: Array<{ vector: Float32Array; point: number }> = [];
    let k = 0;
    for (let position = 0; position < previous.length; position++) {
      const before = previous[position];
      if (before >= 0) pointOf[position] = this.pointOf[before];
      else {
        // Identical added vectors share a point, as in a build; matching them against the whole graph would read every point.
        const vector = added[k++];
        const hash = bitsHash(vector);
        const bucket = fresh.get(hash) ?? [];
        let entry = bucket.find((e) => sameBits(e.vector, vector));
        if (!entry) {
          entry = { vector, point: next++ };
          bucket.push(entry);
          fresh.set(hash, bucket);
          newVectors.push(entry);
        }
        pointOf[position] = entry.point;
      }
      held[pointOf[position]] = 1;
    }
    if (next > index.getMaxElements()) index.resizeIndex(next + spareFor(next));
    for (const { vector, point } of newVectors) index.addPoint(Array.from(vector), point);
    // Last, when nothing can fail any more: a deleted point is gone for the index being replaced too.
    for (let p = 0; p + 1 < this.offsets.length; p++) if (this.offsets[p + 1] > this.offsets[p] && !held[p]) index.markDelete(p);
    index.setEf(searchEf(next));
    return new VectorIndex(index, this.dimension, pointOf, fullScanPoints);
  }

  static build(vectors: Float32Array[], dimension: number, { fullScanPoints = FULL_SCAN_POINTS }: VectorIndexOptions = {}): VectorIndex {
    const pointOf = new Uint32Array(vectors.length);
    const distinct: Float32Array[] = [];
    const buckets = new Map<number, number[]>();
    vectors.forEach((vector, doc) => {
      const hash = bitsHash(vector);
      const bucket = buckets.get(hash) ?? [];
      let point = bucket.find((p) => sameBits(distinct[p], vector));
      if (point === undefined) {
        point = distinct.push(vector) - 1;
        bucket.push(point);
        buckets.set(hash, bucket);
      }
      pointOf[doc] = point;
    });
    const index = new HierarchicalNSW("cosine", dimension);
    index.initIndex(distinct.length + spareFor(distinct.length), 24, constructionEf(distinct.length), 42);
    distinct.forEach((vector, point) => {
      index.addPoint(Array.from(vector), point);
    });
    index.setEf(searchEf(distinct.length));
    return new VectorIndex(index, dimension, pointOf, fullScanPoints);
  }

  /** Reads on a worker thread, so a start can parse the corpus meanwhile; `pointOf` is each measure's point, as written. */
  static async read(
    path: string,
    dimension: number,
    pointOf: Uint32Array,
    { fullScanPoints = FULL_SCAN_POINTS }: VectorIndexOptions = {},
  ): Promise<VectorIndex> {
    const index = new HierarchicalNSW("cosine", dimension);
    await index.readIndex(path);
    const points = index.getCurrentCount();
    if (pointOf.some((point) => point >= points)) throw new Error(`the measures' vector numbers go past the ${points} stored vectors`);
    // A graph saved full (by older code, or after publishes used its room) gets room again here, not in a publish.
    if (index.getMaxElements() - points < spareFor(points) / 2) index.resizeIndex(points + spareFor(points));
    index.setEf(searchEf(points));
    return new VectorIndex(index, dimension, pointOf, fullScanPoints);
  }

  expectSize(expected?: number): void {
    if (expected !== undefined && this.size !== expected) throw new Error(`vector index holds ${this.size} vectors, expected ${expected}`);
  }

  /** Writes the stored points; `pointOf` is the caller's to keep beside them. */
  write(path: string): void {
    this.index.writeIndexSync(path);
  }

  /** Measures, each with a vector (shared or not). */
  get size(): number {
    return this.pointOf.length;
  }

  /** Distinct vectors stored. */
  get points(): number {
    return this.index.getCurrentCount();
  }

  /** The stored vector of one measure, for exact-search comparisons. */
  point(doc: number): Float32Array {
    return Float32Array.from(this.index.getPoint(this.pointOf[doc]));
  }

  /** The k measures nearest `vector`; measures sharing a vector come in the order they were indexed. */
  search(vector: Float32Array, k: number): VectorHit[] {
    const limit = Math.min(k, this.size);
    if (!limit) return [];
    // Points a publish added since this index was made are not its own: asked for as well, then passed over.
    const newer = this.points - (this.offsets.length - 1);
    const { neighbors, similarities } = this.nearestPoints(vector, Math.min(limit + newer, this.points));
    const hits: VectorHit[] = [];
    for (let i = 0; i < neighbors.length && hits.length < limit; i++) {
      const similarity = similarities[i];
      const point = neighbors[i];
      // Added by a publish after this index was made: not one of its measures.
      if (point + 1 >= this.offsets.length) continue;
      for (let at = this.offsets[point]; at < this.offsets[point + 1] && hits.length < limit; at++) hits.push({ doc: this.docs[at], similarity });
    }
    return hits;
  }

  private nearestPoints(vector: Float32Array, k: number): { neighbors: number[]; similarities: number[] } {
    if (!this.scan) {
      const { neighbors, distances } = this.index.searchKnn(Array.from(vector), k);
      return { neighbors, similarities: distances.map((d) => 1 - d) };
    }
    // The stored vectors are unit length, as hnswlib's cosine space keeps them: similarity is the dot product.
    const dims: number[] = [];
    for (let d = 0; d < vector.length; d++) if (vector[d] !== 0) dims.push(d);
    let norm = 0;
    for (const d of dims) norm += vector[d] * vector[d];
    norm = Math.sqrt(norm) || 1;
    const { scan, dimension } = this;
    // This index's points: a publish may since have added more to the graph it shares.
    const scores = new Float32Array(this.offsets.length - 1);
    for (let p = 0, row = 0; p < scores.length; p++, row += dimension) {
      if (this.offsets[p + 1] === this.offsets[p]) {
        scores[p] = Number.NEGATIVE_INFINITY;
        continue;
      }
      let dot = 0;
      for (const d of dims) dot += vector[d] * scan[row + d];
      scores[p] = dot / norm;
    }
    const neighbors = topK(scores, k, Number.NEGATIVE_INFINITY);
    return { neighbors, similarities: neighbors.map((p) => scores[p]) };
  }
}
