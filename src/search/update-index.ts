import type { Corpus, Measure, PolicyDocument } from "../types.js";
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

/**
 * The index of `next` made from the live one without a rebuild: the clauses of documents added, replaced or
 * removed since are taken out of and put into the keyword and vector indexes, and everything else stays where
 * it is. The embedder stays the live one (the local one keeps the idf of its last full build, as a remote one
 * keeps its model), so scores equal those of a full build with that embedder. Undefined when a full build is
 * the better way: too many segments already, or too much changed.
 */
export async function updateIndex(live: IndexedCorpus, next: Corpus): Promise<BuiltIndex | undefined> {
  const started = Date.now();
  const { keywordIndex, vectorIndex, embedder } = live.index;
  if (keywordIndex.layers >= MAX_LAYERS || vectorIndex.size !== live.corpus.measures.length) return undefined;
  const previous = keptPositions(live.corpus, next);
  const kept = new Uint8Array(live.corpus.measures.length);
  const added: number[] = [];
  previous.forEach((before, position) => {
    if (before < 0) added.push(position);
    else kept[before] = 1;
  });
  const removed: number[] = [];
  kept.forEach((isKept, position) => {
    if (!isKept) removed.push(position);
  });
  const changed = added.length + removed.length;
  if (changed > Math.max(MAX_CHANGED_CLAUSES, MAX_CHANGED_SHARE * next.measures.length)) return undefined;

  const textsOf = (corpus: Corpus, positions: number[]) => {
    const documents = new Map(corpus.documents.map((d) => [d.id, d]));
    return positions.map((p) => searchText(corpus.measures[p], documents.get(corpus.measures[p].documentId)!));
  };
  const addedTexts = textsOf(next, added);
  // Embedded first: a remote embedder that fails leaves the live indexes untouched.
  const vectors = await embedAll(embedder, addedTexts);
  const parts = {
    keywordIndex: keywordIndex.changed({ previous, removed: textsOf(live.corpus, removed).map(indexTerms), added: addedTexts.map(indexTerms) }),
    vectorIndex: vectorIndex.changed(previous, vectors),
    embedder,
  };
  return { ...parts, manifest: completeManifest(manifestOf(next), parts, started) };
}

/**
 * For each clause of `next`, its position in `live` when its document is there with the same clauses, else -1.
 * Documents are compared whole: a replaced version whose text moved by one clause is taken out and put back.
 */
function keptPositions(live: Corpus, next: Corpus): Int32Array {
  const before = byDocument(live);
  const previous = new Int32Array(next.measures.length).fill(-1);
  for (const [id, { document, positions }] of byDocument(next)) {
    const old = before.get(id);
    if (!old || old.positions.length !== positions.length) continue;
    const same = (k: number) => {
      const [a, b] = [live.measures[old.positions[k]], next.measures[positions[k]]];
      return (a === b && old.document === document) || searchText(a, old.document) === searchText(b, document);
    };
    if (!positions.every((_, k) => same(k))) continue;
    positions.forEach((position, k) => {
      previous[position] = old.positions[k];
    });
  }
  return previous;
}

function byDocument(corpus: Corpus): Map<string, { document: PolicyDocument; positions: number[] }> {
  const groups = new Map<string, { document: PolicyDocument; positions: number[] }>(corpus.documents.map((d) => [d.id, { document: d, positions: [] }]));
  corpus.measures.forEach((measure: Measure, position) => {
    groups.get(measure.documentId)?.positions.push(position);
  });
  return groups;
}
