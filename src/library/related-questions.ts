import type { RelatedMeasure } from "../answer/seams.js";
import { indexTerms } from "../search/tokenize.js";

export type { RelatedMeasure };

const K1 = 1.2;
const B = 0.75;
/**
 * Postings a search reads at most. At 1,000 entries a question's lists hold a few hundred; at
 * 50,000 its common terms' lists (企业, 办理) hold thousands each, and those are what is left
 * unread once the budget is spent: their entries rarely beat one holding a rarer term of the
 * question, and the terms still count in the score of every entry that is met.
 */
export const READ_BUDGET = 8000;
/**
 * Entries a search scores in full at most. Only a search the read budget stopped has more that could
 * still reach the best (its unread lists could add to any of them); those with the highest bounds go first.
 */
export const SCORE_BUDGET = 1024;

// What the index keeps per slot, side by side in one array (see `slotData`).
const STRIDE = 4;
const LENGTH = 0;
const PEAK = 1;
const TERMS_AT = 2;
const TERMS = 3;

interface Indexed {
  id: string;
  question: string;
  measureIds: string[];
  slot: number;
  /** When it was taught: a full pass over the lists met entries in this order, and ties are listed in it. */
  taught: number;
  postings: Posting[];
}

/** The entries holding a term, as slots, with how often each holds it: read front to back, without touching an entry. */
interface Posting {
  word: string;
  term: number;
  slots: Int32Array;
  counts: Int32Array;
  size: number;
}

interface QueryTerm {
  term: number;
  posting: Posting;
  idf: number;
}

interface Candidate {
  slot: number;
  score: number;
  /** The first of the question's terms the entry holds: where a full pass over the lists would have met it. */
  first: number;
}

/** The most one term can add to an entry of this length whose most repeated term occurs `peak` times, per unit of idf. */
function shapeOf(length: number, peak: number, average: number): number {
  return ((K1 + 1) * peak) / (peak + K1 * (1 - B + (B * length) / average));
}

/** Whether a score of at most `atMost` stays below `score`, not even tying: compared in Float32 as the ranking is, with room for rounding. */
function beyond(score: number, atMost: number): boolean {
  return Math.fround(score) > Math.fround(atMost * (1 + 1e-9));
}

/** Puts a value among the `limit` highest, kept highest first. */
function insertDescending(best: number[], value: number, limit: number): void {
  let at = Math.min(best.length, limit - 1);
  for (; at > 0 && best[at - 1] < value; at--) best[at] = best[at - 1];
  best[at] = value;
}

/** The `k`th highest of the values, counting from 1; reorders them. */
function kthHighest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k - 1 <= j) high = j;
    else if (k - 1 >= i) low = i;
    else break;
  }
  return values[k - 1];
}

/** How often the entry whose terms are `pool[from..]` (`count` pairs of term and frequency, by term) holds a term: 0 when it does not. */
function countOf(pool: Int32Array, from: number, count: number, term: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = pool[from + 2 * middle];
    if (at === term) return pool[from + 2 * middle + 1];
    if (at < term) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

function grown<T extends Int32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * The taught questions as extra searchable text of their measures: BM25 over
 * the questions alone, with the same terms as the main index (jieba words and
 * character bigrams), so the main index is never rebuilt. Kept incrementally —
 * an entry's terms are read once, when it is taught.
 *
 * A search reads the question's posting lists rarest first, adding up each
 * entry's score over the lists read, and stops once no entry it has not met
 * can reach the best ones (max-score: the best partial scores, or the full
 * scores of those entries), or after READ_BUDGET postings. Then
 * only the entries that can still reach the best are scored in full. So what
 * a search costs is bounded by the budgets, not by the library's size
 * (bench/library.ts): the lists of common terms (企业, 办理), which grow with
 * the library, are what is left unread. When the bound stops a search the
 * ranking is exactly what scoring every entry gives; when the budget does, it
 * stays the same on generated libraries for questions with a rarer term
 * (related-questions.test.ts compares both against scoring every entry).
 * core/ask.ts reads what it finds through library/fuse-related.ts, which
 * decides which taught questions are close enough.
 */
export class RelatedQuestionIndex {
  private readonly byId = new Map<string, Indexed>();
  private readonly postings = new Map<string, Posting>();
  /** Entries by length and peak: the shortest, most repetitive one bounds what a term can add to any. */
  private readonly shapes = new Map<string, { length: number; peak: number; count: number }>();
  /** By slot: a search reads an entry itself only for the results it returns. */
  private entries: Array<Indexed | undefined> = [];
  /** Per slot, side by side: its length and peak, and where its terms are in `pool`. */
  private slotData = new Int32Array(64 * STRIDE);
  /**
   * Per slot, the search that last met it and where in that search's `met` arrays: apart from `slotData` and
   * small (8 bytes a slot), so the check each posting read makes stays in cache at 50,000 entries.
   */
  private metBy = new Int32Array(128);
  private met = { slots: new Int32Array(0), partials: new Float64Array(0), norms: new Float64Array(0), shapes: new Float64Array(0), scored: new Uint8Array(0) };
  /**
   * Every entry's terms, ascending, each followed by how often it occurs, one entry after another: scoring an
   * entry reads one stretch of one array. A removed entry's stretch is garbage until half the pool is.
   */
  private pool = new Int32Array(1024);
  private poolEnd = 0;
  private poolGarbage = 0;
  private readonly freeSlots: number[] = [];
  private totalLength = 0;
  private taught = 0;
  private searches = 0;
  /** Ids are never reused: a term whose list empties and comes back gets a new one, and no entry holds the old. */
  private nextTerm = 0;

  private readonly readBudget: number;
  private readonly scoreBudget: number;

  constructor(budgets: { read?: number; score?: number } = {}) {
    this.readBudget = budgets.read ?? READ_BUDGET;
    this.scoreBudget = budgets.score ?? SCORE_BUDGET;
  }

  /** Indexes an entry's question for its measures; an entry without measures (应拒答) is not text of any. */
  put(id: string, question: string, measureIds: string[]): void {
    this.remove(id);
    if (!measureIds.length) return;
    const words = indexTerms(question);
    const frequencies = new Map<string, number>();
    for (const word of words) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
    const postings = [...frequencies.keys()].map((word) => {
      const posting = this.postings.get(word) ?? { word, term: this.nextTerm++, slots: new Int32Array(4), counts: new Int32Array(4), size: 0 };
      this.postings.set(word, posting);
      return posting;
    });
    const counts = [...frequencies.values()];
    const order = [...postings.keys()].sort((a, b) => postings[a].term - postings[b].term);
    const slot = this.freeSlots.pop() ?? this.entries.length;
    const entry: Indexed = { id, question, measureIds, slot, taught: this.taught++, postings };
    this.byId.set(id, entry);
    this.entries[slot] = entry;
    this.pool = grown(this.pool, this.poolEnd + 2 * order.length);
    this.pool.set(
      order.flatMap((at) => [postings[at].term, counts[at]]),
      this.poolEnd,
    );
    this.slotData = grown(this.slotData, (slot + 1) * STRIDE);
    this.slotData.set([words.length, Math.max(0, ...counts), this.poolEnd, order.length], slot * STRIDE);
    this.metBy = grown(this.metBy, (slot + 1) * 2);
    this.metBy[slot * 2] = 0;
    this.poolEnd += 2 * order.length;
    this.totalLength += words.length;
    this.reshape(slot, 1);
    for (const [i, posting] of postings.entries()) {
      posting.slots = grown(posting.slots, posting.size + 1);
      posting.counts = grown(posting.counts, posting.size + 1);
      posting.slots[posting.size] = slot;
      posting.counts[posting.size++] = counts[i];
    }
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    const { slot } = entry;
    this.byId.delete(id);
    this.totalLength -= this.slotData[slot * STRIDE + LENGTH];
    this.reshape(slot, -1);
    for (const posting of entry.postings) {
      // The last takes its place: a list's order is not its entries' (ties are ordered by when they were taught).
      const at = posting.slots.subarray(0, posting.size).indexOf(slot);
      posting.size--;
      posting.slots[at] = posting.slots[posting.size];
      posting.counts[at] = posting.counts[posting.size];
      if (!posting.size) this.postings.delete(posting.word);
    }
    this.entries[slot] = undefined;
    this.freeSlots.push(slot);
    this.poolGarbage += 2 * this.slotData[slot * STRIDE + TERMS];
    if (this.poolGarbage > this.poolEnd / 2) this.compact();
  }

  private compact(): void {
    const pool = new Int32Array(Math.max(1024, 2 * (this.poolEnd - this.poolGarbage)));
    let end = 0;
    for (const entry of this.entries) {
      if (!entry) continue;
      const base = entry.slot * STRIDE;
      const from = this.slotData[base + TERMS_AT];
      const length = 2 * this.slotData[base + TERMS];
      pool.set(this.pool.subarray(from, from + length), end);
      this.slotData[base + TERMS_AT] = end;
      end += length;
    }
    this.pool = pool;
    this.poolEnd = end;
    this.poolGarbage = 0;
  }

  clear(): void {
    this.byId.clear();
    this.postings.clear();
    this.shapes.clear();
    this.entries = [];
    this.freeSlots.length = 0;
    this.totalLength = 0;
    this.poolEnd = 0;
    this.poolGarbage = 0;
  }

  /** The measures of the best-matching taught questions, each with its question and its score relative to the best. */
  search(question: string, limit = 8): RelatedMeasure[] {
    const size = this.byId.size;
    if (!size || limit < 1) return [];
    const average = this.totalLength / size;
    const terms: QueryTerm[] = [];
    for (const word of new Set(indexTerms(question))) {
      const posting = this.postings.get(word);
      if (!posting) continue;
      const weight = word.startsWith("w:") ? 1 : 0.5;
      const idf = Math.log(1 + (size - posting.size + 0.5) / (posting.size + 0.5)) * weight;
      terms.push({ term: posting.term, posting, idf });
    }
    const { slotData: data, metBy } = this;
    if (++this.searches === 2 ** 31 - 1) {
      metBy.fill(0);
      this.searches = 1;
    }
    const search = this.searches;
    // What a search learns of the entries it meets, in the order it meets them: small and dense, so it stays in cache.
    const capacity = Math.min(this.readBudget, size);
    if (this.met.slots.length < capacity)
      this.met = {
        slots: new Int32Array(capacity),
        partials: new Float64Array(capacity),
        norms: new Float64Array(capacity),
        shapes: new Float64Array(capacity),
        scored: new Uint8Array(capacity),
      };
    const { slots: metSlots, partials, norms, shapes, scored: isScored } = this.met;
    const scored: Candidate[] = [];
    // The `limit` best full scores so far, highest first.
    const best: number[] = [];
    const scoreMet = (i: number) => {
      if (isScored[i]) return;
      isScored[i] = 1;
      const candidate = this.score(metSlots[i], terms, average);
      scored.push(candidate);
      if (best.length < limit || candidate.score > best[limit - 1]) insertDescending(best, candidate.score, limit);
    };
    const rarestFirst = [...terms].sort((a, b) => a.posting.size - b.posting.size);
    // The idf of the lists from i on: an entry in none of the first i lists scores at most this times `most`.
    const unreadIdf = new Array<number>(rarestFirst.length + 1).fill(0);
    for (let i = rarestFirst.length - 1; i >= 0; i--) unreadIdf[i] = unreadIdf[i + 1] + rarestFirst[i].idf;
    const most = this.mostPerIdf(average);
    let met = 0;
    let read = 0;
    /** Lists read to the end: the others bound what an entry can gain beyond its partial score. */
    let whole = 0;
    // The best partial so far: until even it beats the unread lists' bound, no `limit`th one can, and none is looked for.
    let highest = 0;
    for (const { posting, idf } of rarestFirst) {
      if (read >= this.readBudget) break;
      if (met >= limit && beyond(highest, unreadIdf[whole] * most)) {
        const kth = kthHighest(partials.slice(0, met), limit);
        if (beyond(kth, unreadIdf[whole] * most)) break;
        // The best partial scores are a few entries' full ones short; scored in full, they may show the rest cannot win.
        let tried = 0;
        for (let i = 0; i < met && tried < 2 * limit; i++)
          if (partials[i] >= kth && !isScored[i]) {
            scoreMet(i);
            tried++;
          }
        if (best.length === limit && beyond(best[limit - 1], unreadIdf[whole] * most)) break;
      }
      const { slots, counts } = posting;
      const end = Math.min(posting.size, this.readBudget - read);
      for (let at = 0; at < end; at++) {
        const slot = slots[at];
        let i = metBy[2 * slot + 1];
        if (metBy[2 * slot] !== search) {
          i = met++;
          metBy[2 * slot] = search;
          metBy[2 * slot + 1] = i;
          metSlots[i] = slot;
          const base = slot * STRIDE;
          partials[i] = 0;
          isScored[i] = 0;
          norms[i] = K1 * (1 - B + (B * data[base + LENGTH]) / average);
          shapes[i] = shapeOf(data[base + LENGTH], data[base + PEAK], average);
        }
        const frequency = counts[at];
        partials[i] += (idf * frequency * (K1 + 1)) / (frequency + norms[i]);
        if (partials[i] > highest) highest = partials[i];
      }
      read += end;
      if (end === posting.size) whole++;
    }
    // Scored in full only if its partial score and what the unread terms could add may reach the best: few are, and at most scoreBudget.
    // Below `atLeast` an entry cannot reach the `limit`th best partial or full score, by more than Float32 rounding could hide.
    const atLeast = Math.max(met >= limit ? kthHighest(partials.slice(0, met), limit) : 0, best.length === limit ? best[limit - 1] : 0) * (1 - 1e-6);
    const atMost = new Float64Array(met);
    for (let i = 0; i < met; i++) atMost[i] = partials[i] + unreadIdf[whole] * shapes[i];
    // Sorted are only those the budget may reach: the highest bounds.
    const cutoff = met > this.scoreBudget ? Math.max(atLeast, kthHighest(atMost.slice(), this.scoreBudget)) : atLeast;
    const open: number[] = [];
    for (let i = 0; i < met; i++) if (atMost[i] >= cutoff && !isScored[i]) open.push(i);
    open.sort((a, b) => atMost[b] - atMost[a]);
    for (const i of open) {
      if (scored.length >= this.scoreBudget || (best.length === limit && beyond(best[limit - 1], atMost[i]))) break;
      scoreMet(i);
    }
    // Ranked as scoring every entry ranked them: by Float32 score, ties in the order a full pass over the lists met them.
    const floor = best.length ? Math.fround(best[best.length - 1]) : 0;
    const top = scored
      .filter((c) => c.score > 0 && Math.fround(c.score) >= floor)
      .map((c) => ({ ...c, entry: this.entries[c.slot]! }))
      .sort((a, b) => Math.fround(b.score) - Math.fround(a.score) || a.first - b.first || a.entry.taught - b.entry.taught)
      .slice(0, limit);
    const topScore = top.length ? Math.fround(top[0].score) : 0;
    return top.flatMap(({ entry, score }) =>
      entry.measureIds.map((measureId) => ({ measureId, entryId: entry.id, question: entry.question, score: Math.fround(score) / topScore })),
    );
  }

  /** An entry's BM25 score over every term of the question, summed in the question's order as a pass over the lists sums it. */
  private score(slot: number, terms: QueryTerm[], average: number): Candidate {
    const base = slot * STRIDE;
    const from = this.slotData[base + TERMS_AT];
    const count = this.slotData[base + TERMS];
    const norm = K1 * (1 - B + (B * this.slotData[base + LENGTH]) / average);
    let score = 0;
    let first = -1;
    for (let i = 0; i < terms.length; i++) {
      const frequency = countOf(this.pool, from, count, terms[i].term);
      if (!frequency) continue;
      if (first < 0) first = i;
      score += (terms[i].idf * frequency * (K1 + 1)) / (frequency + norm);
    }
    return { slot, score, first };
  }

  /** The most a term can add to any entry's score, per unit of its idf. */
  private mostPerIdf(average: number): number {
    let most = 0;
    for (const { length, peak } of this.shapes.values()) most = Math.max(most, shapeOf(length, peak, average));
    return most;
  }

  private reshape(slot: number, change: 1 | -1): void {
    const length = this.slotData[slot * STRIDE + LENGTH];
    const peak = this.slotData[slot * STRIDE + PEAK];
    const key = `${length}:${peak}`;
    const shape = this.shapes.get(key) ?? { length, peak, count: 0 };
    shape.count += change;
    if (shape.count) this.shapes.set(key, shape);
    else this.shapes.delete(key);
  }
}
