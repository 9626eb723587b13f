import type { Corpus } from "../types.js";

/** Where each document's clauses are in a corpus, as positions: read by a publish and by search. */
export interface CorpusLayout {
  /** Each document's index in corpus.documents, by id. */
  readonly documentIndex: ReadonlyMap<string, number>;
  /** Each clause's document, as an index into corpus.documents (NO_DOCUMENT for a clause of none). */
  readonly documentOf: Uint32Array;
  /** Document d's clauses are at clausePositions[offsets[d]] up to clausePositions[offsets[d + 1]], in corpus order. */
  readonly offsets: Uint32Array;
  readonly clausePositions: Uint32Array;
}

export const NO_DOCUMENT = 0xffffffff;

const layouts = new WeakMap<Corpus, CorpusLayout>();

/**
 * The layout of a corpus, worked out once: a publish reads the live corpus's and the next one's, and the
 * retriever the next one's again. At a million clauses a pass over the clause objects costs 0.1-0.2 s, a
 * pass over these arrays a few ms. `like` is a corpus this one mostly shares clauses with, in the same places
 * (the live one of a publish): those clauses are placed without reading them.
 */
export function layoutOf(corpus: Corpus, like?: Corpus): CorpusLayout {
  let layout = layouts.get(corpus);
  if (!layout) {
    layout = layOut(corpus, like && { corpus: like, layout: layoutOf(like) });
    layouts.set(corpus, layout);
  }
  return layout;
}

function layOut({ documents, measures }: Corpus, like?: { corpus: Corpus; layout: CorpusLayout }): CorpusLayout {
  const documentIndex = new Map(documents.map((d, i) => [d.id, i]));
  const documentOf = new Uint32Array(measures.length);
  const offsets = new Uint32Array(documents.length + 1);
  // A clause in the same place in `like` as here, after the same clause there and of its document, is of the
  // last clause's document: known without reading it.
  const lastDocument = (position: number) =>
    like !== undefined &&
    position > 0 &&
    like.corpus.measures[position] === measures[position] &&
    like.corpus.measures[position - 1] === measures[position - 1] &&
    like.layout.documentOf[position] !== NO_DOCUMENT &&
    like.layout.documentOf[position] === like.layout.documentOf[position - 1];
  for (let position = 0, id: string | undefined, document = NO_DOCUMENT; position < measures.length; position++) {
    // Otherwise its document is looked up once per run of a document's clauses.
    if (!lastDocument(position) && measures[position].documentId !== id) {
      id = measures[position].documentId;
      document = documentIndex.get(id) ?? NO_DOCUMENT;
    }
    documentOf[position] = document;
    if (document !== NO_DOCUMENT) offsets[document + 1]++;
  }
  for (let d = 0; d < documents.length; d++) offsets[d + 1] += offsets[d];
  const clausePositions = new Uint32Array(offsets[documents.length]);
  const cursor = offsets.slice(0, documents.length);
  for (let position = 0; position < measures.length; position++) {
    const document = documentOf[position];
    if (document !== NO_DOCUMENT) clausePositions[cursor[document]++] = position;
  }
  return { documentIndex, documentOf, offsets, clausePositions };
}
