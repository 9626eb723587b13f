import type { Corpus, Measure } from "../types.js";
import { ChangedMap } from "./changed-map.js";
import { layoutOf } from "./corpus-layout.js";
import { DocumentNames } from "./document-names.js";
import type { KnowledgeBase } from "./knowledge-base.js";

/** How answers find a clause or a document: by id, and by the names questions call documents by. */
export type Lookups = Pick<KnowledgeBase, "measuresById" | "documentsById" | "documentNames">;

export function lookupsOf(corpus: Corpus): Lookups {
  return {
    measuresById: new Map(corpus.measures.map((m) => [m.id, m])),
    documentsById: new Map(corpus.documents.map((d) => [d.id, d])),
    documentNames: DocumentNames.of(corpus.documents),
  };
}

/**
 * The lookups of `next` from the live knowledge base's, changing only the clauses and documents a publish
 * changed: at a million clauses, building them whole took a publish about two seconds. `previous` gives each
 * clause of `next` its position in the live corpus, or -1 (see updateIndex).
 */
export function changedLookups(live: KnowledgeBase, next: Corpus, previous: Int32Array): Lookups {
  const carried = new Uint8Array(live.corpus.measures.length);
  const added: Measure[] = [];
  for (let position = 0; position < previous.length; position++) {
    const before = previous[position];
    // Kept by the index for its text, a clause may still be a new object (a document read again): the map gives the new one.
    if (before >= 0 && live.corpus.measures[before] === next.measures[position]) carried[before] = 1;
    else added.push(next.measures[position]);
  }
  const removed: string[] = [];
  for (let position = 0; position < carried.length; position++) if (!carried[position]) removed.push(live.corpus.measures[position].id);
  // A document is the same when the other corpus has this very object under its id.
  const [before, after] = [layoutOf(live.corpus), layoutOf(next)];
  const removedDocuments = live.corpus.documents.filter((d) => next.documents[after.documentIndex.get(d.id) ?? -1] !== d);
  const addedDocuments = next.documents.filter((d) => live.corpus.documents[before.documentIndex.get(d.id) ?? -1] !== d);
  return {
    measuresById: ChangedMap.changed(
      live.measuresById,
      removed,
      added.map((m) => [m.id, m]),
    ),
    // Tens of thousands of documents: built whole in milliseconds.
    documentsById: new Map(next.documents.map((d) => [d.id, d])),
    documentNames: live.documentNames.changed(next.documents, removedDocuments, addedDocuments),
  };
}
