import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Logger } from "pino";
import { buildCorpus, loadSeedFiles, seedFingerprint } from "../corpus/load-corpus.js";
import { publishedFingerprint, readPublished, withPublished } from "../corpus/published-corpus.js";
import type { Corpus, Measure, PolicyDocument, Retriever } from "../types.js";
import type { DocumentNames } from "./document-names.js";
import { HybridRetriever } from "./hybrid-retriever.js";
import { breathe } from "./index-build.js";
import {
  type BuiltIndex,
  type EmbedderFactory,
  localEmbedderFactory,
  openIndex,
  PARSED_CORPUS_FILE,
  preloadVectors,
  readVerified,
  recordChecksum,
} from "./index-store.js";
import type { KnowledgeBase } from "./knowledge-base.js";
import { LOCAL_EMBEDDER_VERSION } from "./local-embedder.js";
import { changedLookups, type Lookups, lookupsOf } from "./lookups.js";
import { changedLexicon, createLexicon, type Lexicon } from "./query.js";
import { DEFAULT_THESAURUS_DIR, loadThesaurus, type Thesaurus } from "./thesaurus.js";
import { type IndexUpdate, updateIndex } from "./update-index.js";
import type { VectorIndex } from "./vector-index.js";

/** The parsed corpus with its indexes: everything answering reads, nothing it writes. */
export type { KnowledgeBase } from "./knowledge-base.js";

/** The knowledge base as loaded from seeds and a built index. */
export class IndexedKnowledgeBase implements KnowledgeBase {
  readonly measuresById: ReadonlyMap<string, Measure>;
  readonly documentsById: ReadonlyMap<string, PolicyDocument>;
  /** Documents as questions name them ("政法委的50条措施"). */
  readonly documentNames: DocumentNames;

  constructor(
    readonly corpus: Corpus,
    readonly index: BuiltIndex,
    readonly retriever: Retriever,
    readonly lexicon: Lexicon,
    lookups: Lookups = lookupsOf(corpus),
  ) {
    ({ measuresById: this.measuresById, documentsById: this.documentsById, documentNames: this.documentNames } = lookups);
  }

  documentOf(measure: Measure): PolicyDocument {
    return this.documentsById.get(measure.documentId)!;
  }
}

export interface OpenKnowledgeBaseOptions {
  seedsDir: string;
  /** Where staff uploads are kept (DOCUMENTS_DIR); the published ones join the seeds. */
  documentsDir?: string;
  indexDir: string;
  logger: Logger;
  embedderFactory?: EmbedderFactory;
  /** Id of the embedder the factory makes; the local one's by default. */
  embedderId?: string;
  vectorWeight?: number;
  /** The public-to-documents thesaurus; the one shipped in src/search/thesaurus by default. */
  thesaurusDir?: string;
  preloaded?: Promise<VectorIndex | undefined>;
  /** Where an index that must be built is built: a worker thread by default, so answering goes on; a start builds here. */
  buildIn?: "worker" | "main";
}

export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  // The saved vectors load on a worker thread while the corpus is read here.
  const preloaded = preloadVectors(options.indexDir);
  const corpus = loadCorpus(options.seedsDir, options.indexDir, options.logger, options.documentsDir);
  for (const warning of corpus.warnings) options.logger.warn(warning);
  // Nothing is answered until the start ends: a build needed now runs here, without a worker's start and transfers.
  return knowledgeBaseFromCorpus(corpus, { buildIn: "main", ...options, preloaded });
}

/** Bumped when parsing changes what it reads (a new field, a new marker): a parse saved by older code is not reused. */
const PARSE_VERSION = "parse-3";

interface CorpusCache {
  fingerprint: string;
  corpus: Corpus;
}

/**
 * Parses the seeds, or reuses the parse saved beside the index when the seeds'
 * names, sizes and times are unchanged: at national scale parsing takes
 * seconds, a start should not. v8's format reads faster than JSON here.
 */
function loadCorpus(seedsDir: string, indexDir: string, logger: Logger, documentsDir?: string): Corpus {
  const fingerprint = `${PARSE_VERSION}+${seedFingerprint(seedsDir)}+${publishedFingerprint(documentsDir)}`;
  const cachePath = join(indexDir, PARSED_CORPUS_FILE);
  if (existsSync(cachePath)) {
    try {
      // Checked before deserialising: a changed byte here would change a cited clause without a word.
      const cached = deserialize(readVerified(indexDir, PARSED_CORPUS_FILE)) as CorpusCache;
      if (cached.fingerprint === fingerprint && Array.isArray(cached.corpus?.measures)) return cached.corpus;
    } catch (error) {
      logger.warn({ file: PARSED_CORPUS_FILE, reason: (error as Error).message }, "parsed corpus cache unreadable; parsing the seeds");
    }
  }
  const corpus = withPublished(buildCorpus(loadSeedFiles(seedsDir)), readPublished(documentsDir));
  try {
    mkdirSync(indexDir, { recursive: true });
    const bytes = serialize({ fingerprint, corpus } satisfies CorpusCache);
    writeFileSync(cachePath, bytes);
    recordChecksum(indexDir, PARSED_CORPUS_FILE, bytes);
  } catch (error) {
    logger.warn({ err: error }, "could not cache the parsed corpus");
  }
  return corpus;
}

const thesauri = new Map<string, { stamp: string; thesaurus: Thesaurus }>();

/**
 * The thesaurus in `directory`, read again only when one of its files changed (names, sizes, times):
 * reading and checking it holds the thread for 30-60 ms, which a rebuild while serving need not pay.
 */
function thesaurusIn(directory: string): Thesaurus {
  const stamp = existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => {
          const { size, mtimeMs } = statSync(join(directory, name));
          return `${name}:${size}:${mtimeMs}`;
        })
        .join("|")
    : "";
  const kept = thesauri.get(directory);
  if (kept?.stamp === stamp) return kept.thesaurus;
  const thesaurus = loadThesaurus(directory);
  thesauri.set(directory, { stamp, thesaurus });
  return thesaurus;
}

/**
 * The knowledge base of a parsed corpus, its index reused from `indexDir` or built there. A publish and a
 * change heard from another instance come here to build the next one beside the live one: the build runs in
 * a worker thread (build-worker.ts), so the live one keeps answering meanwhile.
 */
export async function knowledgeBaseFromCorpus(corpus: Corpus, options: Omit<OpenKnowledgeBaseOptions, "seedsDir">): Promise<KnowledgeBase> {
  const embedderFactory = options.embedderFactory ?? localEmbedderFactory;
  const embedderId = options.embedderId ?? `${LOCAL_EMBEDDER_VERSION}-384`;
  const { indexDir: directory, logger, preloaded, buildIn = "worker" } = options;
  const index = await openIndex({ directory, corpus, embedderFactory, embedderId, logger, preloaded, buildIn });
  return knowledgeBaseOfIndex(corpus, index, options);
}

/**
 * The knowledge base of `next` from the live one's indexes changed in place (see updateIndex): seconds, not a
 * build, for a publish of a few documents. Undefined when a full build is the better way. Not saved: the
 * caller writes the index where the next start finds it.
 */
export async function updatedKnowledgeBase(
  live: KnowledgeBase,
  next: Corpus,
  options: Pick<OpenKnowledgeBaseOptions, "thesaurusDir" | "vectorWeight">,
): Promise<KnowledgeBase | undefined> {
  const update = await updateIndex(live, next);
  return update && knowledgeBaseOfIndex(next, update.index, options, { live, ...update });
}

async function knowledgeBaseOfIndex(
  corpus: Corpus,
  index: BuiltIndex,
  options: Pick<OpenKnowledgeBaseOptions, "thesaurusDir" | "vectorWeight">,
  update?: IndexUpdate & { live: KnowledgeBase },
): Promise<KnowledgeBase> {
  // What remains here takes a few ms a step at most (the spelling vocabulary, the maps): answers run in between.
  await breathe();
  const thesaurus = thesaurusIn(options.thesaurusDir ?? DEFAULT_THESAURUS_DIR);
  await breathe();
  const lexicon = update
    ? changedLexicon(update.live.lexicon, index.keywordIndex, thesaurus, update.addedTerms.flat())
    : createLexicon(index.keywordIndex, thesaurus);
  await breathe();
  const retriever = new HybridRetriever({
    corpus,
    keywordIndex: index.keywordIndex,
    lexicon,
    vectorIndex: index.vectorIndex,
    embedder: index.embedder,
    vectorWeight: options.vectorWeight,
  });
  await breathe();
  const lookups = update ? changedLookups(update.live, corpus, update.previous) : lookupsOf(corpus);
  return new IndexedKnowledgeBase(corpus, index, retriever, lexicon, lookups);
}
