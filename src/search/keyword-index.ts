import { Growable } from "./growable.js";
import { bigrams, indexTerms } from "./tokenize.js";

const K1 = 1.2;
const B = 0.75;
/**
 * A term in more than this share of clauses (企业, 市场 at national scale)
 * tells them apart by almost nothing (idf < 0.7) but costs a pass over most of
 * the postings: it is skipped when scoring.
 */
const MAX_DF_SHARE = 0.5;
/** In a small collection even a common term helps order the few clauses there are. */
const MIN_SIZE_TO_SKIP = 1000;

/** The serialisable state of a keyword index: a term dictionary and CSR postings. */
export interface KeywordIndexData {
  terms: string[];
  offsets: Uint32Array;
  postingDocs: Uint32Array;
  postingFreqs: Uint16Array;
  docLengths: Uint32Array;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

/** BM25 over jieba words and character bigrams, in typed arrays so 100,000 clauses stay small and load fast. */
export class KeywordIndex {
  private readonly termIds: Map<string, number>;
  /** BM25's length normalisation of each document, worked out once rather than at every posting of every search. */
  private readonly norms: Float32Array;
  readonly size: number;

  constructor(readonly data: KeywordIndexData) {
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.size = data.docLengths.length;
    let total = 0;
    for (const length of data.docLengths) total += length;
    const averageLength = total / Math.max(1, this.size);
    this.norms = Float32Array.from(data.docLengths, (length) => K1 * (1 - B + (B * length) / averageLength));
  }

  static build(texts: string[]): KeywordIndex {
    const builder = new KeywordIndexBuilder();
    for (const text of texts) builder.add(indexTerms(text));
    return builder.finish();
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.data.offsets[id + 1] - this.data.offsets[id];
  }

  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /**
   * The documents that may contain `text` word for word: those with its rarest Han bigram. A superset, which a
   * test that would read every document can read instead; undefined when the text has no Han bigram to narrow by.
   */
  mayContain(text: string): Uint32Array | undefined {
    let best: Uint32Array | undefined;
    for (const gram of bigrams(text)) {
      const id = this.termIds.get(`b:${gram}`);
      if (id === undefined) return new Uint32Array(0);
      const { offsets, postingDocs } = this.data;
      if (!best || offsets[id + 1] - offsets[id] < best.length) best = postingDocs.subarray(offsets[id], offsets[id + 1]);
    }
    return best;
  }

  /** BM25 scores of every document for the weighted query terms, as one dense array. */
  scoreAll(query: WeightedTerm[]): Float32Array {
    const scores = new Float32Array(this.size);
    this.accumulate(query, scores);
    return scores;
  }

  /**
   * BM25 scores as `scoreAll` gives them, in an array this index keeps, with the documents that scored: at a
   * million clauses a fresh array per search, and passes over all of it for preferences and the top k, cost
   * more than the postings. Valid until the next call: read it without awaiting in between.
   */
  scoreTouched(query: WeightedTerm[]): { scores: Float32Array; touched: Uint32Array } {
    this.scratch ??= new Float32Array(this.size);
    this.touched ??= new Uint32Array(this.size);
    const { scratch: scores, touched } = this;
    for (let i = 0; i < this.touchedCount; i++) scores[touched[i]] = 0;
    this.touchedCount = this.accumulate(query, scores, touched);
    return { scores, touched: touched.subarray(0, this.touchedCount) };
  }

  private scratch?: Float32Array;
  private touched?: Uint32Array;
  private touchedCount = 0;

  /** Adds the query's scores into `scores` (all zero); lists each document that scored in `touched`, if given. Returns how many. */
  private accumulate(query: WeightedTerm[], scores: Float32Array, touched?: Uint32Array): number {
    const { offsets, postingDocs, postingFreqs } = this.data;
    const norms = this.norms;
    let count = 0;
    for (const { term, weight } of query) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      if (this.size >= MIN_SIZE_TO_SKIP && offsets[id + 1] - offsets[id] > this.size * MAX_DF_SHARE) continue;
      const gain = this.idf(term) * weight * (K1 + 1);
      for (let at = offsets[id], end = offsets[id + 1]; at < end; at++) {
        const doc = postingDocs[at];
        const freq = postingFreqs[at];
        if (touched && scores[doc] === 0) touched[count++] = doc;
        scores[doc] += (gain * freq) / (freq + norms[doc]);
      }
    }
    return count;
  }
}

/** Each document's distinct term ids and their counts, documents end to end: what postings are laid out from. */
export interface DocumentTerms {
  terms: string[];
  /** Document d's entries are termIds[termOffsets[d]] up to termIds[termOffsets[d + 1]]. */
  termOffsets: Uint32Array;
  termIds: Uint32Array;
  termFreqs: Uint16Array;
  docLengths: Uint32Array;
}

/** The CSR postings of documents' terms, laid out by document frequency in one pass over typed arrays. */
export function keywordIndexOf({ terms, termOffsets, termIds, termFreqs, docLengths }: DocumentTerms): KeywordIndex {
  const offsets = new Uint32Array(terms.length + 1);
  for (let k = 0; k < termIds.length; k++) offsets[termIds[k] + 1]++;
  for (let id = 0; id < terms.length; id++) offsets[id + 1] += offsets[id];
  const postingDocs = new Uint32Array(offsets[terms.length]);
  const postingFreqs = new Uint16Array(offsets[terms.length]);
  const cursor = offsets.slice(0, terms.length);
  // Documents in order, so each term's postings come out sorted by document.
  for (let doc = 0; doc + 1 < termOffsets.length; doc++) {
    for (let k = termOffsets[doc]; k < termOffsets[doc + 1]; k++) {
      const at = cursor[termIds[k]]++;
      postingDocs[at] = doc;
      postingFreqs[at] = termFreqs[k];
    }
  }
  return new KeywordIndex({ terms, offsets, postingDocs, postingFreqs, docLengths });
}

/**
 * Builds an index a document at a time (the index build feeds it terms it cut once for both indexes), the
 * documents' term ids and counts kept in typed arrays: at 100,000 clauses a fraction of the memory that
 * per-term JS arrays would hold.
 */
export class KeywordIndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly ids = new Growable(Uint32Array);
  private readonly freqs = new Growable(Uint16Array);
  private readonly offsets = new Growable(Uint32Array);
  private readonly lengths = new Growable(Uint32Array);

  constructor() {
    this.offsets.push(0);
  }

  add(terms: string[]): void {
    const counts = new Map<number, number>();
    for (const term of terms) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(term, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const [id, freq] of counts) {
      this.ids.push(id);
      this.freqs.push(Math.min(freq, 65535));
    }
    this.offsets.push(this.ids.length);
    this.lengths.push(terms.length);
  }

  /** The documents' terms, for keywordIndexOf or to send across threads. */
  documents(): DocumentTerms {
    return {
      terms: [...this.termIds.keys()],
      termOffsets: this.offsets.take(),
      termIds: this.ids.take(),
      termFreqs: this.freqs.take(),
      docLengths: this.lengths.take(),
    };
  }

  finish(): KeywordIndex {
    return keywordIndexOf(this.documents());
  }
}

/** Of `docs`, the k with the largest scores above zero, best first; ties go to the lower index, as in topK. */
export function topKOf(scores: Float32Array, docs: ArrayLike<number>, k: number): number[] {
  const picked: number[] = [];
  const before = (a: number, b: number) => scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (scores[doc] <= 0 || (picked.length === k && !before(doc, picked[k - 1]))) continue;
    let at = picked.length === k ? k - 1 : picked.length;
    if (picked.length < k) picked.push(doc);
    while (at > 0 && before(doc, picked[at - 1])) {
      picked[at] = picked[at - 1];
      at--;
    }
    picked[at] = doc;
  }
  return picked;
}

/** Indices of the k largest scores above `above` (zero), best first; ties keep the earlier index. */
export function topK(scores: Float32Array, k: number, above = 0): number[] {
  const picked: number[] = [];
  let floor = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (score <= above || (picked.length === k && score <= floor)) continue;
    let at = picked.length === k ? k - 1 : picked.length;
    if (picked.length < k) picked.push(i);
    while (at > 0 && scores[picked[at - 1]] < score) {
      picked[at] = picked[at - 1];
      at--;
    }
    picked[at] = i;
    floor = scores[picked[picked.length - 1]];
  }
  return picked;
}
