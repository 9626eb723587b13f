import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import type { Corpus, Embedder } from "../types.js";
import { type BuildRequest, buildInWorker } from "./build-in-worker.js";
import { layoutOf } from "./corpus-layout.js";
import { searchText } from "./hybrid-retriever.js";
import {
  buildParts,
  checksum,
  checksumOfFile,
  completeManifest,
  embedAll,
  localEmbedderFactory,
  readManifestChecksums,
  saveIndex,
  VECTOR_POINTS_FILE,
  VECTORS_FILE,
} from "./index-build.js";
import { KeywordIndex, type KeywordIndexData } from "./keyword-index.js";
import { VectorIndex } from "./vector-index.js";

/** Bumped when the on-disk layout or the indexing of text changes. */
export const INDEX_FORMAT = 6;

export { checksum, checksumOfFile, localEmbedderFactory, PARSED_CORPUS_FILE } from "./index-build.js";

export interface Manifest {
  format: number;
  embedder: string;
  dimension: number;
  corpusHash: string;
  measures: number;
  builtAt: string;
  buildSeconds: number;
  /** Hex digest of every file beside the manifest, by file name: a file that fails it is never read. */
  checksums: Record<string, string>;
  /** Every document indexed, with its version (uploads) and whether it was repealed or superseded. */
  documents?: Array<{ id: string; title: string; docNumber?: string; version?: number; retired?: string; sourceFile: string; measures: number }>;
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

export interface OpenIndexOptions {
  directory: string;
  corpus: Corpus;
  embedderFactory: EmbedderFactory;
  /** The id the embedder will have, to compare with the manifest before building it. */
  embedderId: string;
  logger: Logger;
  /** A vector index already being read (see `preloadVectors`), used when the manifest matches. */
  preloaded?: Promise<VectorIndex | undefined>;
  /**
   * Build in a worker thread (a rebuild while serving: a publish, a change from another instance), or here
   * (a start, before anything is answered; the default).
   */
  buildIn?: "worker" | "main";
}

/**
 * Checks the saved vectors, then starts hnswlib reading them on a worker thread
 * before the corpus is loaded, so the read and the load overlap at start.
 * Resolves undefined when there is none or it fails its check.
 */
export function preloadVectors(directory: string): Promise<VectorIndex | undefined> {
  const manifestPath = join(directory, "manifest.json");
  if (!existsSync(manifestPath)) return Promise.resolve(undefined);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    // A failed check leaves undefined here; openIndex checks again and says which file failed.
    return readVerifiedVectors(directory, manifest).catch(() => undefined);
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
      // A manifest without a format holds only the parse's checksum (see recordChecksum).
      if (manifest.format === undefined) reason = "no index yet";
      else if (manifest.format !== INDEX_FORMAT) reason = `index format ${manifest.format} is not ${INDEX_FORMAT}`;
      else if (manifest.corpusHash !== corpus.hash) reason = "the seeds changed";
      else if (manifest.embedder !== embedderId) reason = `the embedder changed (${manifest.embedder} → ${embedderId})`;
      else if (manifest.measures !== corpus.measures.length) reason = "the measure count changed";
      else return await readIndex(directory, manifest, options);
    } catch (error) {
      reason = `the index was unreadable (${(error as Error).message})`;
      logger.warn({ reason, ...(error instanceof CorruptIndexFileError ? { file: error.file } : {}) }, "rebuilding the index");
    }
  }
  let built: BuiltIndex;
  if (options.buildIn === "worker") built = await buildIndexInWorker(options);
  else {
    built = await buildIndex(options);
    writeIndex(directory, built, options.logger);
  }
  logger.info({ reason, measures: corpus.measures.length, seconds: built.manifest.buildSeconds }, "index built");
  return { ...built, rebuilt: reason };
}

/** The manifest of a corpus's index but for what the build finds out (see completeManifest). */
export function manifestOf(corpus: Corpus): Manifest {
  const { offsets } = layoutOf(corpus);
  return {
    format: INDEX_FORMAT,
    embedder: "",
    dimension: 0,
    corpusHash: corpus.hash,
    measures: corpus.measures.length,
    builtAt: "",
    buildSeconds: 0,
    checksums: {},
    documents: corpus.documents.map((d, i) => ({
      id: d.id,
      title: d.title,
      ...(d.docNumber ? { docNumber: d.docNumber } : {}),
      ...(d.version ? { version: d.version } : {}),
      ...(d.retired ? { retired: `${d.retired.kind} ${d.retired.date}` } : {}),
      sourceFile: d.sourceFile,
      measures: offsets[i + 1] - offsets[i],
    })),
  };
}

/**
 * Builds on the main thread, yielding between steps: a start, when nothing is
 * answered yet. Each step blocks the event loop for as long as it takes
 * (seconds at 10,000 measures), so a rebuild while serving runs in the build
 * worker instead (buildInWorker).
 */
export async function buildIndex({ corpus, embedderFactory }: Pick<OpenIndexOptions, "corpus" | "embedderFactory">): Promise<BuiltIndex> {
  const started = Date.now();
  const parts = await buildParts(measureTexts(corpus), embedderFactory);
  return { ...parts, manifest: completeManifest(manifestOf(corpus), parts, started) };
}

function writeIndex(directory: string, built: BuiltIndex, logger: Logger): void {
  try {
    saveIndex(directory, built, built.manifest);
  } catch (error) {
    logger.warn({ err: error, directory }, "could not save the index; it will be rebuilt next start");
  }
}

/** Vectors end to end in one array, with each one's length, to cross to the worker as one block of memory. */
function packVectors(vectors: Float32Array[]): { vectors: Float32Array; lengths: Uint32Array } {
  const lengths = Uint32Array.from(vectors, (vector) => vector.length);
  const packed = new Float32Array(lengths.reduce((sum, length) => sum + length, 0));
  for (let i = 0, at = 0; i < vectors.length; at += lengths[i], i++) packed.set(vectors[i], at);
  return { vectors: packed, lengths };
}

/**
 * Builds and saves the index of a corpus in a worker thread (build-worker.ts),
 * with the same steps as buildIndex, while this thread keeps answering. The
 * local embedder is fitted and run there; a remote one embeds here, where it
 * only waits on the network. The keyword arrays come back moved, not copied,
 * and hnswlib reads the saved graph on its own thread.
 */
export async function buildIndexInWorker({ corpus, embedderFactory, directory, logger }: OpenIndexOptions): Promise<BuiltIndex> {
  const started = Date.now();
  const texts = measureTexts(corpus);
  const lengths = Uint32Array.from(texts, (text) => text.length);
  let embedder: Embedder | undefined;
  let remote: BuildRequest["remote"];
  if (embedderFactory !== localEmbedderFactory) {
    embedder = embedderFactory(texts);
    remote = { id: embedder.id, ...packVectors(await embedAll(embedder, texts)), dimension: embedder.dimension };
  }
  const result = await buildInWorker({ texts: texts.join(""), lengths, remote, directory, manifest: manifestOf(corpus), started }, [
    lengths.buffer as ArrayBuffer,
    ...(remote ? [remote.vectors.buffer as ArrayBuffer, remote.lengths.buffer as ArrayBuffer] : []),
  ]);
  if (result.saveError) logger.warn({ err: result.saveError, directory }, "could not save the index; it will be rebuilt next start");
  try {
    const vectorIndex = await VectorIndex.read(result.vectorsFile, result.manifest.dimension, result.pointOf);
    return {
      keywordIndex: new KeywordIndex(result.keyword),
      vectorIndex,
      embedder: embedder ?? embedderFactory([], { idf: result.idf }),
      manifest: result.manifest,
    };
  } finally {
    if (result.temporaryVectorsFile) rmSync(result.vectorsFile, { force: true });
  }
}

/** A file beside the manifest that is not what was written: it is never parsed, the index is rebuilt. */
export class CorruptIndexFileError extends AppError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super("INDEX_CORRUPT", `${file}: ${reason}`);
    this.name = "CorruptIndexFileError";
  }
}

function expectedChecksum(checksums: Record<string, string> | undefined, file: string): string {
  const expected = checksums?.[file];
  if (!expected) throw new CorruptIndexFileError(file, "no checksum recorded in the manifest");
  return expected;
}

/** Reads a file beside the manifest, or throws CorruptIndexFileError when its bytes are not the ones recorded. */
export function readVerified(directory: string, file: string, checksums = readManifestChecksums(directory)): Buffer {
  const expected = expectedChecksum(checksums, file);
  const bytes = readFileSync(join(directory, file));
  if (checksum(bytes) !== expected) throw new CorruptIndexFileError(file, "checksum mismatch: the file changed after it was written");
  return bytes;
}

/**
 * Records the checksum of a file written beside the index by someone else (the
 * saved parse). Before any index exists, the manifest holds just these.
 */
export function recordChecksum(directory: string, file: string, bytes: Uint8Array): void {
  const manifestPath = join(directory, "manifest.json");
  let manifest: Partial<Manifest> = {};
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Partial<Manifest>;
  } catch {
    // No manifest yet, or an unreadable one that the next openIndex rebuilds anyway.
  }
  manifest.checksums = { ...manifest.checksums, [file]: checksum(bytes) };
  const staging = `${manifestPath}.tmp-${process.pid}`;
  writeFileSync(staging, JSON.stringify(manifest, null, 2));
  renameSync(staging, manifestPath);
}

/** The saved vectors, checked against the manifest before hnswlib parses them: a corrupt file can crash it. */
function readVerifiedVectors(directory: string, manifest: Manifest): Promise<VectorIndex> {
  const expected = expectedChecksum(manifest.checksums, VECTORS_FILE);
  const path = join(directory, VECTORS_FILE);
  if (checksumOfFile(path) !== expected) throw new CorruptIndexFileError(VECTORS_FILE, "checksum mismatch: the file changed after it was written");
  const pointOf = readTyped(readVerified(directory, VECTOR_POINTS_FILE, manifest.checksums), (b, o, n) => new Uint32Array(b, o, n), 4);
  if (pointOf.length !== manifest.measures)
    throw new CorruptIndexFileError(VECTOR_POINTS_FILE, `holds ${pointOf.length} measures, the manifest ${manifest.measures}`);
  return VectorIndex.read(path, manifest.dimension, pointOf);
}

function readTyped<T>(bytes: Buffer, make: (buffer: ArrayBuffer, byteOffset: number, byteLength: number) => T, elementBytes: number): T {
  if (bytes.byteLength % elementBytes !== 0) throw new Error("an index file is truncated");
  // Large reads get their own aligned buffer: view it in place rather than copy hundreds of MB.
  if (bytes.byteOffset % elementBytes === 0) return make(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / elementBytes);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy, 0, bytes.byteLength / elementBytes);
}

async function readIndex(directory: string, manifest: Manifest, options: OpenIndexOptions): Promise<BuiltIndex> {
  const read = (file: string) => readVerified(directory, file, manifest.checksums);
  const terms = JSON.parse(read("keyword-terms.json").toString("utf8")) as string[];
  const data: KeywordIndexData = {
    terms,
    offsets: readTyped(read("keyword-offsets.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
    postingDocs: readTyped(read("keyword-postingDocs.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
    postingFreqs: readTyped(read("keyword-postingFreqs.bin"), (b, o, n) => new Uint16Array(b, o, n), 2),
    docLengths: readTyped(read("keyword-docLengths.bin"), (b, o, n) => new Uint32Array(b, o, n), 4),
  };
  if (data.offsets.length !== terms.length + 1 || data.docLengths.length !== manifest.measures) {
    throw new Error("keyword index arrays do not match the manifest");
  }
  if (data.offsets[terms.length] !== data.postingDocs.length) throw new Error("keyword postings are truncated");
  const idf = manifest.checksums["embedder-idf.bin"] ? readTyped(read("embedder-idf.bin"), (b, o, n) => new Float32Array(b, o, n), 4) : undefined;
  if (manifest.embedder.startsWith("local") && idf?.length !== manifest.dimension) throw new Error("the local embedder's idf table is missing or short");
  const embedder = options.embedderFactory([], { idf });
  const preloaded = await options.preloaded;
  const vectorIndex = preloaded && preloaded.dimension === manifest.dimension ? preloaded : await readVerifiedVectors(directory, manifest);
  vectorIndex.expectSize(manifest.measures);
  return { keywordIndex: new KeywordIndex(data), vectorIndex, embedder, manifest };
}
