import type { RelatedMeasure } from "../answer/seams.js";
import { KeywordIndex, topK } from "../search/keyword-index.js";
import { indexTerms } from "../search/tokenize.js";

export type { RelatedMeasure };

interface Linked {
  id: string;
  question: string;
  measureIds: string[];
}

/**
 * The taught questions as extra searchable text of their measures: a small
 * BM25 index over the questions alone (the main index is never rebuilt), built
 * again after changes. core/ask.ts fuses what it finds with the retriever's
 * hits (library/fuse-related.ts decides which are close enough).
 */
export class RelatedQuestionIndex {
  private index?: KeywordIndex;
  private linked: Linked[] = [];
  private dirty = true;
  private scheduled = false;

  constructor(private readonly source: () => Iterable<Linked>) {}

  /** Marks the index stale and rebuilds it soon, off the request that changed it; a search before then rebuilds at once. */
  invalidate(): void {
    this.dirty = true;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.dirty) this.rebuild();
    }).unref?.();
  }

  private rebuild(): void {
    this.linked = [...this.source()].filter((entry) => entry.measureIds.length);
    this.index = this.linked.length ? KeywordIndex.build(this.linked.map((entry) => entry.question)) : undefined;
    this.dirty = false;
  }

  search(question: string, limit = 8): RelatedMeasure[] {
    if (this.dirty) this.rebuild();
    if (!this.index) return [];
    const terms = [...new Set(indexTerms(question))].map((term) => ({ term, weight: term.startsWith("w:") ? 1 : 0.5 }));
    const scores = this.index.scoreAll(terms);
    const top = topK(scores, limit);
    const best = top.length ? scores[top[0]] : 0;
    return top.flatMap((doc) => {
      const entry = this.linked[doc];
      return entry.measureIds.map((measureId) => ({ measureId, entryId: entry.id, question: entry.question, score: scores[doc] / best }));
    });
  }
}
