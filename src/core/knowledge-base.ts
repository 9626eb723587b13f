import type { Logger } from "pino";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { HybridRetriever } from "../search/hybrid-retriever.js";
import { type BuiltIndex, type EmbedderFactory, localEmbedderFactory, openIndex } from "../search/index-store.js";
import { LOCAL_EMBEDDER_VERSION } from "../search/local-embedder.js";
import type { Corpus, Measure, PolicyDocument, Retriever } from "../types.js";

/** The parsed corpus with its indexes: everything answering reads, nothing it writes. */
export class KnowledgeBase {
  readonly measuresById: Map<string, Measure>;
  readonly documentsById: Map<string, PolicyDocument>;
  /** Regions with at least one document, and the provinces above them. */
  readonly coveredRegions: Set<string>;

  constructor(
    readonly corpus: Corpus,
    readonly index: BuiltIndex,
    readonly retriever: Retriever,
  ) {
    this.measuresById = new Map(corpus.measures.map((m) => [m.id, m]));
    this.documentsById = new Map(corpus.documents.map((d) => [d.id, d]));
    this.coveredRegions = new Set(corpus.documents.flatMap((d) => d.regionPath));
  }

  documentOf(measure: Measure): PolicyDocument {
    return this.documentsById.get(measure.documentId)!;
  }
}

export interface OpenKnowledgeBaseOptions {
  seedsDir: string;
  indexDir: string;
  logger: Logger;
  embedderFactory?: EmbedderFactory;
  /** Id of the embedder the factory makes; the local one's by default. */
  embedderId?: string;
  vectorWeight?: number;
}

export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  const corpus = buildCorpus(loadSeedFiles(options.seedsDir));
  for (const warning of corpus.warnings) options.logger.warn(warning);
  return knowledgeBaseFromCorpus(corpus, options);
}

export async function knowledgeBaseFromCorpus(corpus: Corpus, options: Omit<OpenKnowledgeBaseOptions, "seedsDir">): Promise<KnowledgeBase> {
  const embedderFactory = options.embedderFactory ?? localEmbedderFactory;
  const embedderId = options.embedderId ?? `${LOCAL_EMBEDDER_VERSION}-384`;
  const index = await openIndex({ directory: options.indexDir, corpus, embedderFactory, embedderId, logger: options.logger });
  const retriever = new HybridRetriever({
    corpus,
    keywordIndex: index.keywordIndex,
    vectorIndex: index.vectorIndex,
    embedder: index.embedder,
    vectorWeight: options.vectorWeight,
  });
  return new KnowledgeBase(corpus, index, retriever);
}
