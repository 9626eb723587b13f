import type { Corpus, Measure, PolicyDocument, Retriever } from "../types.js";
import type { DocumentNames } from "./document-names.js";
import type { BuiltIndex } from "./index-store.js";
import type { Lexicon } from "./query.js";

/**
 * The parsed corpus with its indexes: everything answering reads, nothing it
 * writes. Declared beside search (which builds it) so the answer modules can
 * depend on it without depending on the core that loads it.
 */
export interface KnowledgeBase {
  readonly corpus: Corpus;
  readonly index: BuiltIndex;
  readonly retriever: Retriever;
  readonly lexicon: Lexicon;
  readonly measuresById: ReadonlyMap<string, Measure>;
  readonly documentsById: ReadonlyMap<string, PolicyDocument>;
  /** Documents as questions name them ("政法委的50条措施"). */
  readonly documentNames: DocumentNames;
  documentOf(measure: Measure): PolicyDocument;
}
