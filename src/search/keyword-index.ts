import { indexTerms } from "./tokenize.js";

const K1 = 1.2;
const B = 0.75;

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
  private readonly averageLength: number;
  readonly size: number;

  constructor(readonly data: KeywordIndexData) {
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.size = data.docLengths.length;
    let total = 0;
    for (const length of data.docLengths) total += length;
    this.averageLength = total / Math.max(1, this.size);
  }

  static build(texts: string[]): KeywordIndex {
    const perTerm = new Map<string, number[]>(); // term → [doc, freq, doc, freq, …]
    const docLengths = new Uint32Array(texts.length);
    texts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      const terms = indexTerms(text);
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      docLengths[doc] = terms.length;
      for (const [term, freq] of counts) {
        const list = perTerm.get(term) ?? [];
        if (!list.length) perTerm.set(term, list);
        list.push(doc, Math.min(freq, 65535));
      }
    });
    const terms = [...perTerm.keys()].sort();
    const offsets = new Uint32Array(terms.length + 1);
    let size = 0;
    terms.forEach((term, id) => {
      offsets[id] = size;
      size += perTerm.get(term)!.length / 2;
    });
    offsets[terms.length] = size;
    const postingDocs = new Uint32Array(size);
    const postingFreqs = new Uint16Array(size);
    terms.forEach((term, id) => {
      const list = perTerm.get(term)!;
      for (let i = 0, at = offsets[id]; i < list.length; i += 2, at++) {
        postingDocs[at] = list[i];
        postingFreqs[at] = list[i + 1];
      }
    });
    return new KeywordIndex({ terms, offsets, postingDocs, postingFreqs, docLengths });
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
    const { offsets, postingDocs, postingFreqs, docLengths } = this.data;
    for (const { term, weight } of query) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term) * weight;
      for (let at = offsets[id]; at < offsets[id + 1]; at++) {
        const doc = postingDocs[at];
        if (allowed && !allowed(doc)) continue;
        const freq = postingFreqs[at];
        const norm = K1 * (1 - B + (B * docLengths[doc]) / this.averageLength);
        scores[doc] += (idf * (freq * (K1 + 1))) / (freq + norm);
      }
    }
    return scores;
  }
}

/** Indices of the k largest scores above zero, best first. */
export function topK(scores: Float32Array, k: number): number[] {
  const picked: number[] = [];
  let floor = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (score <= 0 || (picked.length === k && score <= floor)) continue;
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
