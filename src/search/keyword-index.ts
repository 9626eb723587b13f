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

/** A query term as scored: its BM25 gain is its idf times its weight times (k1 + 1). */
interface ScoredTerm {
  term: string;
  gain: number;
}

/** Documents best first, with their scores. */
export interface TopScored {
  docs: number[];
  scores: number[];
}

export interface KeywordScorer {
  /** One document's score before any factor; 0 when it holds none of the terms. Not after `top`. */
  score(doc: number): number;
  /**
   * The k documents with the largest score times their group's factor (factors[groupOf[doc]]), best first, ties to
   * the lower index, each score rounded as a Float32Array would hold it: what scoring every document, multiplying
   * and taking topKOf gives. Taken once, last: it clears the scores.
   */
  top(k: number, factors: Float32Array, groupOf: ArrayLike<number>): TopScored;
}

/**
 * A bound is widened by this much before a document is passed over: rounding the product to float32 could
 * otherwise lift a document a hair above a bound worked out in double, and drop one that ties or wins.
 */
const SLACK = 1 + 1e-6;

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

  /** BM25 scores of every document for the weighted query terms, as one dense array: what `scorer` must agree with. */
  scoreAll(query: WeightedTerm[]): Float32Array {
    const scores = new Float32Array(this.size);
    for (const { term, gain } of this.scoredTerms(query))
      this.eachPosting(term, (doc, freq, norm) => {
        scores[doc] += (gain * freq) / (freq + norm);
      });
    return scores;
  }

  /** The query's terms as they are scored: those in no clause or in most of them left out, each with its BM25 gain. */
  private scoredTerms(query: WeightedTerm[]): ScoredTerm[] {
    const terms: ScoredTerm[] = [];
    for (const { term, weight } of query) {
      const df = this.documentFrequency(term);
      if (df <= 0 || (this.size >= MIN_SIZE_TO_SKIP && df > this.size * MAX_DF_SHARE)) continue;
      terms.push({ term, gain: this.idfOf(df) * weight * (K1 + 1) });
    }
    return terms;
  }

  /**
   * Scores for one query, to the bit what scoreAll gives: any one document's (`score`), then the k best once
   * weighed by their factors (`top`), which clears them. They live in an array this index keeps: at 100,000 clauses
   * a fresh array per search, and passes over all of it, cost more than the postings. Use one scorer at a time,
   * without awaiting in between.
   */
  scorer(query: WeightedTerm[]): KeywordScorer {
    const cells = this.cellsOf();
    this.touched ??= new Uint32Array(this.size);
    const { touched } = this;
    // A scorer whose top was never taken left its scores behind.
    for (let t = 0; t < this.touchedCount; t++) cells[2 * touched[t]] = 0;
    const count = this.accumulate(this.scoredTerms(query), cells, touched);
    this.touchedCount = count;
    return {
      score: (doc) => cells[2 * doc],
      top: (k, factors, groupOf) => {
        const best = topWeighed(cells, touched, this.touchedCount, k, factors, groupOf);
        this.touchedCount = 0;
        return best;
      },
    };
  }

  /**
   * Each document's score (kept zero between searches) beside its length norm, [score, norm] in turn: the two
   * values every posting reads and writes at random share a cache line, and the scatter is bound by memory.
   */
  private cells?: Float32Array;
  private touched?: Uint32Array;
  private touchedCount = 0;
  private cellsOf(): Float32Array {
    if (this.cells) return this.cells;
    const cells = new Float32Array(2 * this.size);
    const [only] = this.segments;
    if (this.segments.length === 1 && !only.positions) for (let doc = 0; doc < this.size; doc++) cells[2 * doc + 1] = only.norms[doc];
    this.cells = cells;
    return cells;
  }

  /** Adds the terms' scores into `cells` (scores all zero) and lists each document that scored in `touched`. Returns how many. */
  private accumulate(terms: ScoredTerm[], cells: Float32Array, touched: Uint32Array): number {
    let count = 0;
    const [only] = this.segments;
    if (this.segments.length === 1 && !only.positions) {
      // The hot loop of every search: a built or loaded index, its norms beside the scores.
      const { data, termIds } = only;
      const { postingDocs, postingFreqs, offsets } = data;
      for (const { term, gain } of terms) {
        const id = termIds.get(term);
        if (id === undefined) continue;
        for (let at = offsets[id], end = offsets[id + 1]; at < end; at++) {
          const cell = 2 * postingDocs[at];
          const freq = postingFreqs[at];
          const score = cells[cell];
          if (score === 0) touched[count++] = postingDocs[at];
          cells[cell] = score + (gain * freq) / (freq + cells[cell + 1]);
        }
      }
      return count;
    }
    // After a publish in place: segments read in place, removed clauses skipped.
    for (const { term, gain } of terms)
      for (const { data, termIds, positions, norms } of this.segments) {
        const id = termIds.get(term);
        if (id === undefined) continue;
        const { postingDocs, postingFreqs } = data;
        for (let at = data.offsets[id], end = data.offsets[id + 1]; at < end; at++) {
          const slot = postingDocs[at];
          const doc = positions ? positions[slot] : slot;
          if (doc === GONE) continue;
          const freq = postingFreqs[at];
          if (cells[2 * doc] === 0) touched[count++] = doc;
          cells[2 * doc] += (gain * freq) / (freq + norms[slot]);
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

/**
 * Puts a document among the k best (docs and scores best first) if it belongs there, ties going to the lower
 * index as in topKOf. Returns whether it went in. No closure: under tsx each function made here is named at runtime,
 * which costs more than the comparisons.
 */
function keep(docs: number[], scores: number[], k: number, doc: number, score: number): boolean {
  const full = docs.length === k;
  if (full && (score < scores[k - 1] || (score === scores[k - 1] && doc > docs[k - 1]))) return false;
  let at = full ? k - 1 : docs.length;
  if (!full) {
    docs.push(doc);
    scores.push(score);
  }
  while (at > 0 && (score > scores[at - 1] || (score === scores[at - 1] && doc < docs[at - 1]))) {
    docs[at] = docs[at - 1];
    scores[at] = scores[at - 1];
    at--;
  }
  docs[at] = doc;
  scores[at] = score;
  return true;
}

/**
 * Of the `count` documents in `touched`, the k whose score (in `cells`, see KeywordIndex.cells) times its group's
 * factor is largest, as a Float32Array holds that product, best first, ties to the lower index: what multiplying
 * each score in place and taking topKOf gives, in one pass that clears the scores for the next search and passes
 * over a document the largest factor cannot lift into the k.
 */
function topWeighed(cells: Float32Array, touched: Uint32Array, count: number, k: number, factors: Float32Array, groupOf: ArrayLike<number>): TopScored {
  const best: TopScored = { docs: [], scores: [] };
  let largest = 0;
  for (let g = 0; g < factors.length; g++) if (factors[g] > largest) largest = factors[g];
  let floor = 0;
  for (let t = 0; t < count; t++) {
    const doc = touched[t];
    const raw = cells[2 * doc];
    cells[2 * doc] = 0;
    if (k <= 0 || raw * largest * SLACK < floor) continue;
    const score = Math.fround(raw * factors[groupOf[doc]]);
    if (score > 0 && keep(best.docs, best.scores, k, doc, score) && best.docs.length === k) floor = best.scores[k - 1];
  }
  return best;
}
