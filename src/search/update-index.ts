import type { Corpus } from "../types.js";
import { layoutOf } from "./corpus-layout.js";
import { searchText } from "./hybrid-retriever.js";
import { completeManifest, embedAll } from "./index-build.js";
import { type BuiltIndex, manifestOf } from "./index-store.js";
import { indexTerms } from "./tokenize.js";

/** Publishes folded in as segments before a full build folds them back into one (each search reads every segment). */
const MAX_LAYERS = 8;
/** Changes up to this many clauses, or this share of the corpus, go in place; more is a build's work anyway. */
export const MAX_CHANGED_CLAUSES = 2_000;
const MAX_CHANGED_SHARE = 0.1;

export interface IndexedCorpus {
  readonly corpus: Corpus;
  readonly index: BuiltIndex;
}

/** The index of the next corpus, and how its clauses relate to the live one's. */
export interface IndexUpdate {
  index: BuiltIndex;
  /** For each position of the next corpus, the clause's position in the live one, or -1 for an added clause. */
  previous: Int32Array;
  /** The terms (indexTerms) of each added clause, in position order. */
  addedTerms: string[][];
}

/**
 * The index of `next` made from the live one without a rebuild: the clauses of documents added, replaced or
 * removed since are taken out of and put into the keyword and vector indexes, and everything else stays where
 * it is. The embedder stays the live one (the local one keeps the idf of its last full build, as a remote one
 * keeps its model), so scores equal those of a full build with that embedder. Undefined when a full build is
 * the better way: too many segments already, or too much changed.
 */
export async function updateIndex(live: IndexedCorpus, next: Corpus): Promise<IndexUpdate | undefined> {
  const started = Date.now();
  const { keywordIndex, vectorIndex, embedder } = live.index;
  if (keywordIndex.layers >= MAX_LAYERS || vectorIndex.size !== live.corpus.measures.length) return undefined;
  const previous = keptPositions(live.corpus, next);
  const kept = new Uint8Array(live.corpus.measures.length);
  const added: number[] = [];
  for (let position = 0; position < previous.length; position++) {
    if (previous[position] < 0) added.push(position);
    else kept[previous[position]] = 1;
  }
  const removed: number[] = [];
  for (let position = 0; position < kept.length; position++) if (!kept[position]) removed.push(position);
  const changed = added.length + removed.length;
  if (changed > Math.max(MAX_CHANGED_CLAUSES, MAX_CHANGED_SHARE * next.measures.length)) return undefined;

  const textsOf = (corpus: Corpus, positions: number[]) => {
    const { documentOf } = layoutOf(corpus);
    return positions.map((p) => searchText(corpus.measures[p], corpus.documents[documentOf[p]]));
  };
  const addedTexts = textsOf(next, added);
  // Embedded first: a remote embedder that fails leaves the live indexes untouched.
  const vectors = await embedAll(embedder, addedTexts);
  const addedTerms = addedTexts.map(indexTerms);
  const parts = {
    keywordIndex: keywordIndex.changed({ previous, removed: textsOf(live.corpus, removed).map(indexTerms), added: addedTerms }),
    vectorIndex: vectorIndex.changed(previous, vectors),
    embedder,
  };
  return { index: { ...parts, manifest: completeManifest(manifestOf(next), parts, started) }, previous, addedTerms };
}

/**
 * For each clause of `next`, its position in `live` when its document is there with the same clauses, else -1.
 * Documents are compared whole: a replaced version whose text moved by one clause is taken out and put back.
 */
function keptPositions(live: Corpus, next: Corpus): Int32Array {
  const [before, after] = [layoutOf(live), layoutOf(next, live)];
  const previous = new Int32Array(next.measures.length).fill(-1);
  next.documents.forEach((document, d) => {
    const old = before.documentIndex.get(document.id);
    if (old === undefined) return;
    const [from, to, oldFrom] = [after.offsets[d], after.offsets[d + 1], before.offsets[old]];
    if (to - from !== before.offsets[old + 1] - oldFrom) return;
    const oldDocument = live.documents[old];
    for (let k = 0; k < to - from; k++) {
      const a = live.measures[before.clausePositions[oldFrom + k]];
      const b = next.measures[after.clausePositions[from + k]];
      if (!((a === b && oldDocument === document) || searchText(a, oldDocument) === searchText(b, document))) return;
    }
    for (let k = 0; k < to - from; k++) previous[after.clausePositions[from + k]] = before.clausePositions[oldFrom + k];
  });
  return previous;
}
