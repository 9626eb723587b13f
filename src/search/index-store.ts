import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Corpus, Embedder } from "../types.js";
import { searchText } from "./hybrid-retriever.js";
import { KeywordIndex, type KeywordIndexData } from "./keyword-index.js";
import { LocalEmbedder } from "./local-embedder.js";
import { VectorIndex } from "./vector-index.js";

/** Bumped when the on-disk layout or the indexing of text changes. */
export const INDEX_FORMAT = 3;

export interface Manifest {
  format: number;
  embedder: string;
  dimension: number;
  corpusHash: string;
  measures: number;
  builtAt: string;
  buildSeconds: number;
}

export interface BuiltIndex {
  keywordIndex: KeywordIndex;
  vectorIndex: VectorIndex;
  embedder: Embedder;
  manifest: Manifest;
  /** Why the index was rebuilt, when it was. */
  rebuilt?: string;
}

/** How to get the embedder for a corpus: the local one is fitted to it, a remote one is not. */
export type EmbedderFactory = (texts: string[], saved?: { idf?: Float32Array }) => Embedder;

export const localEmbedderFactory: EmbedderFactory = (texts, saved) => (saved?.idf ? LocalEmbedder.fromIdf(saved.idf) : LocalEmbedder.fit(texts));

export interface OpenIndexOptions {
  directory: string;
  corpus: Corpus;
  embedderFactory: EmbedderFactory;
  /** The id the embedder will have, to compare with the manifest before building it. */
  embedderId: string;
  logger: Logger;
  /** A vector index already being read (see `preloadVectors`), used when the manifest matches. */
  preloaded?: Promise<VectorIndex | undefined>;
}

/**
 * Starts reading the saved vector index on a worker thread before the corpus is
 * loaded, so the two overlap at start. Resolves undefined when there is none.
 */
export function preloadVectors(directory: string): Promise<VectorIndex | undefined> {
  const manifestPath = join(directory, "manifest.json");
  if (!existsSync(manifestPath)) return Promise.resolve(undefined);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    return VectorIndex.read(join(directory, "vectors.hnsw"), manifest.dimension).catch(() => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}

function measureTexts(corpus: Corpus): string[] {
  const byId = new Map(corpus.documents.map((d) => [d.id, d]));
  return corpus.measures.map((m) => searchText(m, byId.get(m.documentId)!));
}

/** Reuses the index under `directory` when it matches the corpus and embedder; otherwise builds and saves one. */
export async function openIndex(options: OpenIndexOptions): Promise<BuiltIndex> {
  const { directory, corpus, embedderId, logger } = options;
  const manifestPath = join(directory, "manifest.json");
  let reason: string;
  if (!existsSync(manifestPath)) reason = "no index yet";
  else {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
      if (manifest.format !== INDEX_FORMAT) reason = `index format ${manifest.format} is not ${INDEX_FORMAT}`;
      else if (manifest.corpusHash !== corpus.hash) reason = "the seeds changed";
      else if (manifest.embedder !== embedderId) reason = `the embedder changed (${manifest.embedder} → ${embedderId})`;
      else if (manifest.measures !== corpus.measures.length) reason = "the measure count changed";
      else return await readIndex(directory, manifest, options);
    } catch (error) {
      reason = `the index was unreadable (${(error as Error).message})`;
      logger.warn({ reason }, "rebuilding the index");
    }
  }
  const built = await buildIndex(options);
  writeIndex(directory, built, options.logger);
  logger.info({ reason, measures: corpus.measures.length, seconds: built.manifest.buildSeconds }, "index built");
  return { ...built, rebuilt: reason };
}

export async function buildIndex({ corpus, embedderFactory }: Pick<OpenIndexOptions, "corpus" | "embedderFactory">): Promise<BuiltIndex> {
  const started = performance.now();
  const texts = measureTexts(corpus);
  const keywordIndex = KeywordIndex.build(texts);
  const embedder = embedderFactory(texts);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 512) vectors.push(...(await embedder.embed(texts.slice(i, i + 512))));
  const dimension = vectors[0]?.length ?? embedder.dimension;
  const vectorIndex = VectorIndex.build(vectors, dimension);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    embedder: embedder.id,
    dimension,
    corpusHash: corpus.hash,
    measures: corpus.measures.length,
    builtAt: new Date().toISOString(),
    buildSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  return { keywordIndex, vectorIndex, embedder, manifest };
}

const ARRAYS = ["offsets", "postingDocs", "postingFreqs", "docLengths"] as const;

function writeIndex(directory: string, built: BuiltIndex, logger: Logger): void {
  try {
    // Written aside and renamed, so a crash mid-write leaves the old index or none, never half of one.
    const staging = `${directory}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const data = built.keywordIndex.data;
    writeFileSync(join(staging, "keyword-terms.json"), JSON.stringify(data.terms));
    for (const name of ARRAYS)
      writeFileSync(join(staging, `keyword-${name}.bin`), Buffer.from(data[name].buffer, data[name].byteOffset, data[name].byteLength));
    built.vectorIndex.write(join(staging, "vectors.hnsw"));
    if (built.embedder instanceof LocalEmbedder)
      writeFileSync(join(staging, "embedder-idf.bin"), Buffer.from(built.embedder.idf.buffer, built.embedder.idf.byteOffset, built.embedder.idf.byteLength));
    writeFileSync(join(staging, "manifest.json"), JSON.stringify(built.manifest, null, 2));
    mkdirSync(directory, { recursive: true });
    for (const file of ["manifest.json", "keyword-terms.json", ...ARRAYS.map((n) => `keyword-${n}.bin`), "vectors.hnsw", "embedder-idf.bin"]) {
      rmSync(join(directory, file), { force: true });
    }
    for (const file of ["keyword-terms.json", ...ARRAYS.map((n) => `keyword-${n}.bin`), "vectors.hnsw", "embedder-idf.bin", "manifest.json"]) {
      if (existsSync(join(staging, file))) renameSync(join(staging, file), join(directory, file));
    }
    rmSync(staging, { recursive: true, force: true });
  } catch (error) {
    logger.warn({ err: error, directory }, "could not save the index; it will be rebuilt next start");
  }
}

function readTyped<T>(path: string, make: (buffer: ArrayBuffer, byteOffset: number, byteLength: number) => T, elementBytes: number): T {
  const bytes = readFileSync(path);
  if (bytes.byteLength % elementBytes !== 0) throw new Error(`${path} is truncated`);
  // Large reads get their own aligned buffer: view it in place rather than copy hundreds of MB.
  if (bytes.byteOffset % elementBytes === 0) return make(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / elementBytes);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy, 0, bytes.byteLength / elementBytes);
}

async function readIndex(directory: string, manifest: Manifest, options: OpenIndexOptions): Promise<BuiltIndex> {
  const terms = JSON.parse(readFileSync(join(directory, "keyword-terms.json"), "utf8")) as string[];
  const data: KeywordIndexData = {
    terms,
    offsets: readTyped(join(directory, "keyword-offsets.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
    postingDocs: readTyped(join(directory, "keyword-postingDocs.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
    postingFreqs: readTyped(join(directory, "keyword-postingFreqs.bin"), (b, o, n) => new Uint16Array(b, o, n), 2),
    docLengths: readTyped(join(directory, "keyword-docLengths.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
  };
  if (data.offsets.length !== terms.length + 1 || data.docLengths.length !== manifest.measures) {
    throw new Error("keyword index arrays do not match the manifest");
  }
  if (data.offsets[terms.length] !== data.postingDocs.length) throw new Error("keyword postings are truncated");
  const idfPath = join(directory, "embedder-idf.bin");
  const idf = existsSync(idfPath) ? readTyped(idfPath, (b, o, n) => new Float32Array(b, o, n), 4) : undefined;
  if (manifest.embedder.startsWith("local") && idf?.length !== manifest.dimension) throw new Error("the local embedder's idf table is missing or short");
  const embedder = options.embedderFactory([], { idf });
  const preloaded = await options.preloaded;
  const vectorIndex =
    preloaded && preloaded.dimension === manifest.dimension ? preloaded : await VectorIndex.read(join(directory, "vectors.hnsw"), manifest.dimension);
  vectorIndex.expectSize(manifest.measures);
  return { keywordIndex: new KeywordIndex(data), vectorIndex, embedder, manifest };
}
