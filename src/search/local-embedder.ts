import type { Embedder } from "../types.js";
import { bigrams, indexWords } from "./tokenize.js";

export const LOCAL_EMBEDDER_VERSION = "local-hashed-ngram-tfidf-v1";

/** FNV-1a, for stable buckets across runs and machines. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function features(text: string): string[] {
  const grams = bigrams(text);
  const trigrams: string[] = [];
  for (const run of text.match(/[\u3400-\u9fff]{3,}/g) ?? []) {
    for (let i = 0; i + 2 < run.length; i++) trigrams.push(run.slice(i, i + 3));
  }
  return [...grams, ...trigrams, ...indexWords(text).map((w) => `w:${w}`)];
}

/**
 * A local embedder that needs no model weights: character bigrams, trigrams and
 * jieba words hashed into a fixed number of signed buckets, weighted by
 * sublinear tf and the corpus's bucket idf, L2-normalised. It is a dense
 * lexical vector: it adds fuzzy matching of partial phrases and word order
 * fragments that the keyword index scores separately.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string;

  private constructor(
    readonly dimension: number,
    readonly idf: Float32Array,
  ) {
    this.id = `${LOCAL_EMBEDDER_VERSION}-${dimension}`;
  }

  static fit(texts: string[], dimension = 384): LocalEmbedder {
    const df = new Float32Array(dimension);
    for (const text of texts) {
      const seen = new Set<number>();
      for (const feature of features(text)) seen.add(hash(feature) % dimension);
      for (const bucket of seen) df[bucket]++;
    }
    const idf = new Float32Array(dimension);
    for (let i = 0; i < dimension; i++) idf[i] = Math.log(1 + (texts.length + 1) / (df[i] + 1));
    return new LocalEmbedder(dimension, idf);
  }

  static fromIdf(idf: Float32Array): LocalEmbedder {
    return new LocalEmbedder(idf.length, idf);
  }

  embedOne(text: string): Float32Array {
    const counts = new Map<number, number>();
    for (const feature of features(text)) {
      const h = hash(feature);
      const bucket = h % this.dimension;
      // The sign bit keeps colliding features from always adding up.
      const sign = h & 0x80000000 ? -1 : 1;
      counts.set(bucket, (counts.get(bucket) ?? 0) + sign);
    }
    const vector = new Float32Array(this.dimension);
    let norm = 0;
    for (const [bucket, count] of counts) {
      const value = Math.sign(count) * (1 + Math.log(Math.abs(count) || 1)) * this.idf[bucket];
      vector[bucket] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < vector.length; i++) vector[i] /= norm;
    return vector;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }
}
