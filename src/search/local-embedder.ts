import type { Embedder } from "../types.js";
import { Growable } from "./growable.js";
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
  return featuresOf(text, indexWords(text));
}

/** A text's features when its jieba words are already cut: the index build cuts each text once for both indexes. */
export function featuresOf(text: string, words: string[]): string[] {
  const grams = bigrams(text);
  const trigrams: string[] = [];
  for (const run of text.match(/[\u3400-\u9fff]{3,}/g) ?? []) {
    for (let i = 0; i + 2 < run.length; i++) trigrams.push(run.slice(i, i + 3));
  }
  return [...grams, ...trigrams, ...words.map((w) => `w:${w}`)];
}

/**
 * Features hashed into signed bucket counts, buckets in the order first seen: the vector's values are summed
 * into its norm in that order, so a vector made from kept counts is the same, bit for bit, as one made at once.
 */
function bucketCounts(features: string[], dimension: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const feature of features) {
    const h = hash(feature);
    const bucket = h % dimension;
    // The sign bit keeps colliding features from always adding up.
    const sign = h & 0x80000000 ? -1 : 1;
    counts.set(bucket, (counts.get(bucket) ?? 0) + sign);
  }
  return counts;
}

function weigh(counts: Iterable<[number, number]>, idf: Float32Array): Float32Array {
  const vector = new Float32Array(idf.length);
  let norm = 0;
  for (const [bucket, count] of counts) {
    const value = Math.sign(count) * (1 + Math.log(Math.abs(count) || 1)) * idf[bucket];
    vector[bucket] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/** The idf of each bucket from its document frequency over `texts` texts. */
export const idfOf = (df: Float32Array, texts: number) => Float32Array.from(df, (d) => Math.log(1 + (texts + 1) / (d + 1)));

/** Texts' signed bucket counts, end to end (text t's are at bucketOffsets[t] up to bucketOffsets[t + 1]), and each bucket's document frequency. */
export interface BucketCounts {
  bucketOffsets: Uint32Array;
  buckets: Uint16Array;
  values: Int16Array;
  df: Float32Array;
}

/** The vectors of counted texts, row after row in one array. */
export function vectorsOf({ bucketOffsets, buckets, values }: BucketCounts, idf: Float32Array): Float32Array {
  const dimension = idf.length;
  const texts = bucketOffsets.length - 1;
  const out = new Float32Array(texts * dimension);
  const entries: Array<[number, number]> = [];
  for (let t = 0; t < texts; t++) {
    entries.length = 0;
    for (let k = bucketOffsets[t]; k < bucketOffsets[t + 1]; k++) entries.push([buckets[k], values[k]]);
    out.set(weigh(entries, idf), t * dimension);
  }
  return out;
}

/**
 * Fits the embedder and embeds the texts in one pass over their features, texts fed one at a time: the same
 * idf and vectors as `fit` then `embed`, without cutting or hashing any text twice. Keeps each text's
 * bucket counts (a few hundred bytes) in typed arrays until the idf is known.
 */
export class LocalEmbedderFit {
  private readonly df: Float32Array;
  private readonly offsets = new Growable(Uint32Array);
  private readonly buckets = new Growable(Uint16Array);
  private readonly values = new Growable(Int16Array);

  constructor(readonly dimension = 384) {
    this.df = new Float32Array(dimension);
    this.offsets.push(0);
  }

  add(features: string[]): void {
    for (const [bucket, count] of bucketCounts(features, this.dimension)) {
      this.df[bucket]++;
      this.buckets.push(bucket);
      this.values.push(Math.max(-32768, Math.min(32767, count)));
    }
    this.offsets.push(this.buckets.length);
  }

  /** The counts so far, to finish here or on another thread. */
  counts(): BucketCounts {
    return { bucketOffsets: this.offsets.take(), buckets: this.buckets.take(), values: this.values.take(), df: this.df.slice() };
  }

  finish(): { embedder: LocalEmbedder; vectors: Float32Array[] } {
    const counts = this.counts();
    const texts = counts.bucketOffsets.length - 1;
    const idf = idfOf(counts.df, texts);
    const rows = vectorsOf(counts, idf);
    const vectors = Array.from({ length: texts }, (_, t) => rows.subarray(t * this.dimension, (t + 1) * this.dimension));
    return { embedder: LocalEmbedder.fromIdf(idf), vectors };
  }
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
    return new LocalEmbedder(dimension, idfOf(df, texts.length));
  }

  static fromIdf(idf: Float32Array): LocalEmbedder {
    return new LocalEmbedder(idf.length, idf);
  }

  embedOne(text: string): Float32Array {
    return weigh(bucketCounts(features(text), this.dimension), this.idf);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }
}
