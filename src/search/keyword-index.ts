import { indexTerms } from "./tokenize.js";

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

  /** BM25 scores of every document for the weighted query terms, as one dense array. */
  scoreAll(query: WeightedTerm[], allowed?: (doc: number) => boolean): Float32Array {
    const scores = new Float32Array(this.size);
    const { offsets, postingDocs, postingFreqs } = this.data;
    const norms = this.norms;
    for (const { term, weight } of query) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      if (this.size >= MIN_SIZE_TO_SKIP && offsets[id + 1] - offsets[id] > this.size * MAX_DF_SHARE) continue;
      const gain = this.idf(term) * weight * (K1 + 1);
      for (let at = offsets[id], end = offsets[id + 1]; at < end; at++) {
        const doc = postingDocs[at];
        if (allowed && !allowed(doc)) continue;
        const freq = postingFreqs[at];
        scores[doc] += (gain * freq) / (freq + norms[doc]);
      }
    }
    return scores;
  }
}

/**
 * Builds an index a document at a time (the index build feeds it terms it cut once for both indexes), in two
 * passes over typed arrays: each document's distinct term ids and counts first, then the postings laid out by
 * document frequency. At 100,000 clauses this holds a fraction of the memory that per-term JS arrays would.
 */
export class KeywordIndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly frequencies: number[] = [];
  private readonly docTerms: Uint32Array[] = [];
  private readonly docFreqs: Uint16Array[] = [];
  private readonly docLengths: number[] = [];

  add(terms: string[]): void {
    const counts = new Map<number, number>();
    for (const term of terms) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.frequencies.length;
        this.termIds.set(term, id);
        this.frequencies.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    this.docLengths.push(terms.length);
    const ids = new Uint32Array(counts.size);
    const freqs = new Uint16Array(counts.size);
    let k = 0;
    for (const [id, freq] of counts) {
      ids[k] = id;
      freqs[k++] = Math.min(freq, 65535);
      this.frequencies[id]++;
    }
    this.docTerms.push(ids);
    this.docFreqs.push(freqs);
  }

  finish(): KeywordIndex {
    const { frequencies, docTerms, docFreqs } = this;
    const terms = [...this.termIds.keys()];
    const offsets = new Uint32Array(terms.length + 1);
    for (let id = 0; id < terms.length; id++) offsets[id + 1] = offsets[id] + frequencies[id];
    const postingDocs = new Uint32Array(offsets[terms.length]);
    const postingFreqs = new Uint16Array(offsets[terms.length]);
    const cursor = offsets.slice(0, terms.length);
    // Documents in order, so each term's postings come out sorted by document.
    for (let doc = 0; doc < docTerms.length; doc++) {
      const ids = docTerms[doc];
      const freqs = docFreqs[doc];
      for (let k = 0; k < ids.length; k++) {
        const at = cursor[ids[k]]++;
        postingDocs[at] = doc;
        postingFreqs[at] = freqs[k];
      }
    }
    return new KeywordIndex({ terms, offsets, postingDocs, postingFreqs, docLengths: Uint32Array.from(this.docLengths) });
  }
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
