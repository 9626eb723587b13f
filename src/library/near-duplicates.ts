import { jaccard, keyGrams, NEAR_DUPLICATE, questionAnchors, questionKey } from "./similarity.js";

interface Indexed {
  id: string;
  key: string;
  anchors: string;
  slot: number;
  /** Its grams' ids, ascending: overlap with a question is counted by merging, not by string lookups. */
  grams: Int32Array;
  /** When it was last taught: a full pass over the lists met entries in this order, and ties are listed in it. */
  taught: number;
  postings: Posting[];
}

/** The entries holding a gram, as slots, read front to back without touching an entry. */
interface Posting {
  gram: string;
  id: number;
  slots: Int32Array;
  size: number;
}

export interface NearDuplicate {
  id: string;
  similarity: number;
}

/** How many of two ascending id lists' ids are in both. */
function overlap(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}

function holds(grams: Int32Array, id: number): boolean {
  let low = 0;
  let high = grams.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (grams[middle] === id) return true;
    if (grams[middle] < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * Taught questions by their character bigrams. A question reads only the
 * posting lists of its rarest bigrams (prefix filtering): a taught question
 * `threshold` alike shares so many bigrams with it that it must share one of
 * these, so the lists of common bigrams (企业, 办理), which grow with the
 * library, are never walked. Candidates of a length that cannot reach the
 * threshold are passed over, the others measured exactly, so the result is
 * what comparing against every taught question gives (near-duplicates.test.ts
 * checks it against that), at about the same cost for 1,000 entries as for
 * 50,000 (bench/library.ts).
 */
export class NearDuplicateIndex {
  private readonly byId = new Map<string, Indexed>();
  private readonly byKey = new Map<string, string>();
  private readonly postings = new Map<string, Posting>();
  private entries: Array<Indexed | undefined> = [];
  private readonly freeSlots: number[] = [];
  /** Per slot, dense, so a candidate of the wrong length is passed over without touching its entry. */
  private gramCounts = new Int32Array(64);
  private seenBy = new Float64Array(64);
  private taught = 0;
  private finds = 0;
  /** Ids are never reused: a gram whose list empties and comes back gets a new one, and no entry holds the old. */
  private nextGram = 0;

  get size(): number {
    return this.byId.size;
  }

  /** The entry whose question has this key, if any: a question is taught once. */
  idOfKey(key: string): string | undefined {
    return this.byKey.get(key);
  }

  put(id: string, question: string): void {
    this.remove(id);
    const key = questionKey(question);
    const postings = [...keyGrams(key)].map((gram) => {
      const posting = this.postings.get(gram) ?? { gram, id: this.nextGram++, slots: new Int32Array(4), size: 0 };
      this.postings.set(gram, posting);
      return posting;
    });
    const slot = this.freeSlots.pop() ?? this.entries.length;
    const grams = Int32Array.from(postings, (p) => p.id).sort();
    const entry: Indexed = { id, key, anchors: questionAnchors(question), slot, grams, taught: this.taught++, postings };
    this.byId.set(id, entry);
    this.byKey.set(key, id);
    this.entries[slot] = entry;
    if (slot >= this.gramCounts.length) {
      this.gramCounts = grown(this.gramCounts, slot + 1);
      this.seenBy = grown(this.seenBy, slot + 1);
    }
    this.gramCounts[slot] = grams.length;
    this.seenBy[slot] = 0;
    for (const posting of postings) {
      posting.slots = grown(posting.slots, posting.size + 1);
      posting.slots[posting.size++] = slot;
    }
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    if (this.byKey.get(entry.key) === id) this.byKey.delete(entry.key);
    for (const posting of entry.postings) {
      // The last takes its place: a list's order is not its entries' (ties are ordered by when they were taught).
      const at = posting.slots.subarray(0, posting.size).indexOf(entry.slot);
      posting.slots[at] = posting.slots[--posting.size];
      if (!posting.size) this.postings.delete(posting.gram);
    }
    this.entries[entry.slot] = undefined;
    this.freeSlots.push(entry.slot);
  }

  /** Taught questions at least `threshold` alike, naming the same places and figures, closest first. */
  find(question: string, threshold = NEAR_DUPLICATE, limit = 5): NearDuplicate[] {
    const key = questionKey(question);
    const exact = this.byKey.get(key);
    if (exact) return [{ id: exact, similarity: 1 }];
    const grams = [...keyGrams(key)];
    const size = grams.length;
    // Sharing c of the question's grams scores at most c / size (when the taught question has no others).
    let needed = 1;
    while (needed <= size && needed / size < threshold) needed++;
    if (needed > size) return [];
    const postings = grams.map((gram) => this.postings.get(gram));
    const ids = Int32Array.from(
      postings.filter((p) => p !== undefined),
      (p) => p.id,
    ).sort();
    // Whoever shares `needed` grams shares one of any size - needed + 1 of them: the rarest are read, a gram no one taught among them.
    const prefix = postings.map((p) => p ?? { slots: new Int32Array(0), size: 0 }).sort((a, b) => a.size - b.size);
    const find = ++this.finds;
    const anchors = questionAnchors(question);
    const found: Array<NearDuplicate & { first: number; taught: number }> = [];
    for (const { slots, size: listed } of prefix.slice(0, size - needed + 1))
      for (let at = 0; at < listed; at++) {
        const slot = slots[at];
        if (this.seenBy[slot] === find) continue;
        this.seenBy[slot] = find;
        const other = this.gramCounts[slot];
        // Even sharing every gram the shorter has, a length this different stays below the threshold.
        if (Math.min(size, other) / Math.max(size, other) < threshold) continue;
        const entry = this.entries[slot]!;
        const shared = overlap(entry.grams, ids);
        const similarity = shared / (size + other - shared);
        if (similarity < threshold || entry.anchors !== anchors) continue;
        const first = postings.findIndex((p) => p !== undefined && holds(entry.grams, p.id));
        found.push({ id: entry.id, similarity, first, taught: entry.taught });
      }
    // Ties in the order reading every list of the question's grams in turn met them, as before there was a prefix.
    return found
      .sort((a, b) => b.similarity - a.similarity || a.first - b.first || a.taught - b.taught)
      .slice(0, limit)
      .map(({ id, similarity }) => ({ id, similarity }));
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
    this.postings.clear();
    this.entries = [];
    this.freeSlots.length = 0;
  }

  /** The key a question is taught under. */
  static keyOf(question: string): string {
    return questionKey(question);
  }

  /** The similarity of two questions as `find` measures it (for the hit test). */
  static similarity(a: string, b: string): number {
    return jaccard(keyGrams(questionKey(a)), keyGrams(questionKey(b)));
  }
}

function grown<T extends Int32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}
