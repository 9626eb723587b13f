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

/** A segment's document that a later publish removed. */
const GONE = 0xffffffff;

/** Postings of one build or one publish: the first is the corpus in order; a later one maps its documents to positions. */
interface Segment {
  readonly data: KeywordIndexData;
  readonly termIds: Map<string, number>;
  /** Each document's position in the corpus (GONE once removed); absent while the segment is the whole corpus in order. */
  readonly positions?: Uint32Array;
  /** BM25's length normalisation of each document, worked out once rather than at every posting of every search. */
  readonly norms: Float32Array;
}

/** What changes in one publish: where each kept clause moves, and the terms of those removed and added. */
export interface KeywordChange {
  /** For each position of the new corpus, the clause's position before, or -1 for an added clause. */
  previous: Int32Array;
  /** The terms of each removed clause (indexTerms), and of each added one in position order. */
  removed: string[][];
  added: string[][];
}

/**
 * BM25 over jieba words and character bigrams, in typed arrays so 100,000 clauses stay small and load fast.
 *
 * A publish adds a segment instead of rebuilding (`changed`): the added clauses' postings, positions for the
 * earlier segments' clauses, and the removed clauses' terms, so document frequencies, the length norm and
 * therefore every score equal those of a full rebuild of the same clauses.
 */
export class KeywordIndex {
  private readonly segments: Segment[];
  /** Removed clauses still in a segment's postings, by term. */
  private readonly removedFrequency: Map<string, number>;
  private readonly totalLength: number;
  readonly size: number;

  constructor(data: KeywordIndexData);
  constructor(data: KeywordIndexData | { segments: Segment[]; removedFrequency: Map<string, number>; size: number; totalLength: number });
  constructor(data: KeywordIndexData | { segments: Segment[]; removedFrequency: Map<string, number>; size: number; totalLength: number }) {
    if ("segments" in data) {
      ({ segments: this.segments, removedFrequency: this.removedFrequency, size: this.size, totalLength: this.totalLength } = data);
      return;
    }
    this.size = data.docLengths.length;
    let total = 0;
    for (const length of data.docLengths) total += length;
    this.totalLength = total;
    this.removedFrequency = new Map();
    this.segments = [{ data, termIds: new Map(data.terms.map((term, id) => [term, id])), norms: normsOf(data.docLengths, total / Math.max(1, this.size)) }];
  }

  static build(texts: string[]): KeywordIndex {
    const builder = new KeywordIndexBuilder();
    for (const text of texts) builder.add(indexTerms(text));
    return builder.finish();
  }

  /** The index after one publish; this one stays as it was for searches under way. */
  changed({ previous, removed, added }: KeywordChange): KeywordIndex {
    const moved = new Uint32Array(this.size).fill(GONE);
    const addedPositions: number[] = [];
    for (let position = 0; position < previous.length; position++) {
      const before = previous[position];
      if (before < 0) addedPositions.push(position);
      else moved[before] = position;
    }
    if (addedPositions.length !== added.length) throw new Error("a publish's added clauses do not match their positions");
    const removedFrequency = new Map(this.removedFrequency);
    let totalLength = this.totalLength;
    for (const terms of removed) {
      totalLength -= terms.length;
      for (const term of new Set(terms)) removedFrequency.set(term, (removedFrequency.get(term) ?? 0) + 1);
    }
    const builder = new KeywordIndexBuilder();
    for (const terms of added) {
      builder.add(terms);
      totalLength += terms.length;
    }
    const addedData = postingsOf(builder.documents());
    const averageLength = totalLength / Math.max(1, previous.length);
    const segments: Segment[] = this.segments.map(({ data, termIds, positions }) => ({
      data,
      termIds,
      // A segment without positions is the whole corpus in order: `moved` is where its documents go.
      positions: positions ? movedPositions(positions, moved) : moved,
      norms: normsOf(data.docLengths, averageLength),
    }));
    if (added.length)
      segments.push({
        data: addedData,
        termIds: new Map(addedData.terms.map((term, id) => [term, id])),
        positions: Uint32Array.from(addedPositions),
        norms: normsOf(addedData.docLengths, averageLength),
      });
    return new KeywordIndex({ segments, removedFrequency, size: previous.length, totalLength });
  }

  /** Segments a publish added: a full rebuild folds them back into one. */
  get layers(): number {
    return this.segments.length;
  }

  documentFrequency(term: string): number {
    let df = -(this.removedFrequency.get(term) ?? 0);
    for (const { termIds, data } of this.segments) {
      const id = termIds.get(term);
      if (id !== undefined) df += data.offsets[id + 1] - data.offsets[id];
    }
    return df;
  }

  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Every term some clause holds (the spelling corrector's vocabulary). */
  *terms(): Iterable<string> {
    if (this.segments.length === 1) {
      yield* this.segments[0].data.terms;
      return;
    }
    const seen = new Set<string>();
    for (const { data } of this.segments)
      for (const term of data.terms) {
        if (seen.has(term)) continue;
        seen.add(term);
        if (this.documentFrequency(term) > 0) yield term;
      }
  }

  /**
   * The documents that may contain `text` word for word: those with its rarest Han bigram. A superset, which a
   * test that would read every document can read instead; undefined when the text has no Han bigram to narrow by.
   */
  mayContain(text: string): Uint32Array | undefined {
    let rarest: string | undefined;
    let fewest = Number.POSITIVE_INFINITY;
    for (const gram of bigrams(text)) {
      const df = this.documentFrequency(`b:${gram}`);
      if (df === 0) return new Uint32Array(0);
      if (df < fewest) [rarest, fewest] = [`b:${gram}`, df];
    }
    if (rarest === undefined) return undefined;
    const [only] = this.segments;
    if (this.segments.length === 1 && !only.positions) {
      const id = only.termIds.get(rarest)!;
      return only.data.postingDocs.subarray(only.data.offsets[id], only.data.offsets[id + 1]);
    }
    const docs = new Uint32Array(fewest);
    let count = 0;
    this.eachPosting(rarest, (doc) => {
      docs[count++] = doc;
    });
    return docs.sort();
  }

  /** Calls `visit` with every live posting of `term`: its document's position, its count, and the document's length norm. */
  private eachPosting(term: string, visit: (doc: number, freq: number, norm: number) => void): void {
    for (const { data, termIds, positions, norms } of this.segments) {
      const id = termIds.get(term);
      if (id === undefined) continue;
      for (let at = data.offsets[id], end = data.offsets[id + 1]; at < end; at++) {
        const slot = data.postingDocs[at];
        const doc = positions ? positions[slot] : slot;
        if (doc !== GONE) visit(doc, data.postingFreqs[at], norms[slot]);
      }
    }
  }

  /**
   * The postings as one segment in corpus order, for saving: an index that publishes changed is written whole,
   * so the next start reads one segment again.
   */
  get data(): KeywordIndexData {
    const [only] = this.segments;
    if (this.segments.length === 1 && !only.positions) return only.data;
    const terms = [...this.terms()];
    const offsets = new Uint32Array(terms.length + 1);
    terms.forEach((term, id) => {
      offsets[id + 1] = offsets[id] + this.documentFrequency(term);
    });
    const postingDocs = new Uint32Array(offsets[terms.length]);
    const postingFreqs = new Uint16Array(offsets[terms.length]);
    const pairs: Array<[number, number]> = [];
    terms.forEach((term, id) => {
      pairs.length = 0;
      this.eachPosting(term, (doc, freq) => pairs.push([doc, freq]));
      pairs.sort((a, b) => a[0] - b[0]);
      pairs.forEach(([doc, freq], k) => {
        postingDocs[offsets[id] + k] = doc;
        postingFreqs[offsets[id] + k] = freq;
      });
    });
    const docLengths = new Uint32Array(this.size);
    for (const { data, positions } of this.segments)
      data.docLengths.forEach((length, slot) => {
        const doc = positions ? positions[slot] : slot;
        if (doc !== GONE) docLengths[doc] = length;
      });
    return { terms, offsets, postingDocs, postingFreqs, docLengths };
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
    let count = 0;
    for (const { term, weight } of query) {
      const df = this.documentFrequency(term);
      if (df <= 0 || (this.size >= MIN_SIZE_TO_SKIP && df > this.size * MAX_DF_SHARE)) continue;
      const gain = this.idfOf(df) * weight * (K1 + 1);
      // The hot loop of every search, kept free of calls: segments read in place, removed clauses skipped.
      for (const { data, termIds, positions, norms } of this.segments) {
        const id = termIds.get(term);
        if (id === undefined) continue;
        const { postingDocs, postingFreqs } = data;
        for (let at = data.offsets[id], end = data.offsets[id + 1]; at < end; at++) {
          const slot = postingDocs[at];
          const doc = positions ? positions[slot] : slot;
          if (doc === GONE) continue;
          const freq = postingFreqs[at];
          if (touched && scores[doc] === 0) touched[count++] = doc;
          scores[doc] += (gain * freq) / (freq + norms[slot]);
        }
      }
    }
    return count;
  }
}

/** Each of a segment's documents at its new position (GONE when removed, now or before). */
function movedPositions(positions: Uint32Array, moved: Uint32Array): Uint32Array {
  const next = new Uint32Array(positions.length);
  for (let slot = 0; slot < positions.length; slot++) next[slot] = positions[slot] === GONE ? GONE : moved[positions[slot]];
  return next;
}

function normsOf(lengths: Uint32Array, averageLength: number): Float32Array {
  const norms = new Float32Array(lengths.length);
  for (let doc = 0; doc < lengths.length; doc++) norms[doc] = K1 * (1 - B + (B * lengths[doc]) / averageLength);
  return norms;
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

/** The index of documents' terms. */
export function keywordIndexOf(documents: DocumentTerms): KeywordIndex {
  return new KeywordIndex(postingsOf(documents));
}

/** The CSR postings of documents' terms, laid out by document frequency in one pass over typed arrays. */
function postingsOf({ terms, termOffsets, termIds, termFreqs, docLengths }: DocumentTerms): KeywordIndexData {
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
  return { terms, offsets, postingDocs, postingFreqs, docLengths };
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
