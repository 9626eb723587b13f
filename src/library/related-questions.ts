import type { RelatedMeasure } from "../answer/seams.js";
import { topK } from "../search/keyword-index.js";
import { indexTerms } from "../search/tokenize.js";

export type { RelatedMeasure };

const K1 = 1.2;
const B = 0.75;

interface Indexed {
  id: string;
  question: string;
  measureIds: string[];
  frequencies: Map<string, number>;
  length: number;
}

/**
 * The taught questions as extra searchable text of their measures: BM25 over
 * the questions alone, with the same terms as the main index (jieba words and
 * character bigrams), so the main index is never rebuilt. Kept incrementally —
 * an entry's terms are read once, when it is taught — so 10,000 imported
 * entries cost no rebuild and a question is searched in a few milliseconds.
 * core/ask.ts reads what it finds through library/fuse-related.ts, which
 * decides which taught questions are close enough.
 */
export class RelatedQuestionIndex {
  private readonly byId = new Map<string, Indexed>();
  private readonly postings = new Map<string, Set<string>>();
  private totalLength = 0;

  /** Indexes an entry's question for its measures; an entry without measures (应拒答) is not text of any. */
  put(id: string, question: string, measureIds: string[]): void {
    this.remove(id);
    if (!measureIds.length) return;
    const terms = indexTerms(question);
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    this.byId.set(id, { id, question, measureIds, frequencies, length: terms.length });
    this.totalLength += terms.length;
    for (const term of frequencies.keys()) {
      const ids = this.postings.get(term) ?? new Set<string>();
      ids.add(id);
      this.postings.set(term, ids);
    }
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.totalLength -= entry.length;
    for (const term of entry.frequencies.keys()) {
      const ids = this.postings.get(term)!;
      ids.delete(id);
      if (!ids.size) this.postings.delete(term);
    }
  }

  clear(): void {
    this.byId.clear();
    this.postings.clear();
    this.totalLength = 0;
  }

  /** The measures of the best-matching taught questions, each with its question and its score relative to the best. */
  search(question: string, limit = 8): RelatedMeasure[] {
    const size = this.byId.size;
    if (!size) return [];
    const average = this.totalLength / size;
    const scores = new Map<string, number>();
    for (const term of new Set(indexTerms(question))) {
      const ids = this.postings.get(term);
      if (!ids) continue;
      const weight = term.startsWith("w:") ? 1 : 0.5;
      const idf = Math.log(1 + (size - ids.size + 0.5) / (ids.size + 0.5)) * weight;
      for (const id of ids) {
        const entry = this.byId.get(id)!;
        const frequency = entry.frequencies.get(term)!;
        const norm = K1 * (1 - B + (B * entry.length) / average);
        scores.set(id, (scores.get(id) ?? 0) + (idf * frequency * (K1 + 1)) / (frequency + norm));
      }
    }
    const ids = [...scores.keys()];
    const values = Float32Array.from(ids, (id) => scores.get(id)!);
    const top = topK(values, limit);
    const best = top.length ? values[top[0]] : 0;
    return top.flatMap((at) => {
      const entry = this.byId.get(ids[at])!;
      return entry.measureIds.map((measureId) => ({ measureId, entryId: entry.id, question: entry.question, score: values[at] / best }));
    });
  }
}
