import { jaccard, keyGrams, NEAR_DUPLICATE, questionAnchors, questionKey } from "./similarity.js";

interface Indexed {
  id: string;
  key: string;
  grams: Set<string>;
  anchors: string;
}

export interface NearDuplicate {
  id: string;
  similarity: number;
}

/**
 * Taught questions by their character bigrams, so a question finds the taught
 * ones sharing any bigram without comparing against all of them (10,000
 * entries: well under a millisecond a question).
 */
export class NearDuplicateIndex {
  private readonly byId = new Map<string, Indexed>();
  private readonly byKey = new Map<string, string>();
  private readonly postings = new Map<string, Set<string>>();

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
    const entry = { id, key, grams: keyGrams(key), anchors: questionAnchors(question) };
    this.byId.set(id, entry);
    this.byKey.set(key, id);
    for (const gram of entry.grams) {
      const ids = this.postings.get(gram) ?? new Set<string>();
      ids.add(id);
      this.postings.set(gram, ids);
    }
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    if (this.byKey.get(entry.key) === id) this.byKey.delete(entry.key);
    for (const gram of entry.grams) this.postings.get(gram)?.delete(id);
  }

  /** Taught questions at least `threshold` alike, naming the same places and figures, closest first. */
  find(question: string, threshold = NEAR_DUPLICATE, limit = 5): NearDuplicate[] {
    const key = questionKey(question);
    const exact = this.byKey.get(key);
    if (exact) return [{ id: exact, similarity: 1 }];
    const grams = keyGrams(key);
    const shared = new Map<string, number>();
    for (const gram of grams) for (const id of this.postings.get(gram) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    const anchors = questionAnchors(question);
    const found: NearDuplicate[] = [];
    for (const [id, count] of shared) {
      const entry = this.byId.get(id)!;
      const similarity = count / (grams.size + entry.grams.size - count);
      if (similarity >= threshold && entry.anchors === anchors) found.push({ id, similarity });
    }
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
    this.postings.clear();
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
