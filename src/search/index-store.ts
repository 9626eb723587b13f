import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import type { Corpus, Embedder } from "../types.js";
import { searchText } from "./hybrid-retriever.js";
import { KeywordIndex, type KeywordIndexData } from "./keyword-index.js";
import { LocalEmbedder } from "./local-embedder.js";
import { VectorIndex } from "./vector-index.js";

/** Bumped when the on-disk layout or the indexing of text changes. */
export const INDEX_FORMAT = 5;

/** The parse saved beside the index by the knowledge base; its checksum lives in the same manifest. */
export const PARSED_CORPUS_FILE = "corpus.v8";
const VECTORS_FILE = "vectors.hnsw";
/** Each measure's stored vector (identical vectors are stored once): Uint32 per measure. */
const VECTOR_POINTS_FILE = "vector-points.bin";

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
  const built = await buildIndex(options);
  writeIndex(directory, built, options.logger);
  logger.info({ reason, measures: corpus.measures.length, seconds: built.manifest.buildSeconds }, "index built");
  return { ...built, rebuilt: reason };
}

export async function buildIndex({ corpus, embedderFactory }: Pick<OpenIndexOptions, "corpus" | "embedderFactory">): Promise<BuiltIndex> {
  const started = performance.now();
  const texts = measureTexts(corpus);
  // Between steps the event loop runs: a publish builds while the server answers, so no request waits for the whole build.
  const breathe = () => new Promise((resolve) => setImmediate(resolve));
  const keywordIndex = KeywordIndex.build(texts);
  await breathe();
  const embedder = embedderFactory(texts);
  await breathe();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 512) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + 512))));
    await breathe();
  }
  const dimension = vectors[0]?.length ?? embedder.dimension;
  const vectorIndex = VectorIndex.build(vectors, dimension);
  const measuresOf = new Map<string, number>();
  for (const measure of corpus.measures) measuresOf.set(measure.documentId, (measuresOf.get(measure.documentId) ?? 0) + 1);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    embedder: embedder.id,
    dimension,
    corpusHash: corpus.hash,
    measures: corpus.measures.length,
    builtAt: new Date().toISOString(),
    buildSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    checksums: {},
    documents: corpus.documents.map((d) => ({
      id: d.id,
      title: d.title,
      ...(d.docNumber ? { docNumber: d.docNumber } : {}),
      ...(d.version ? { version: d.version } : {}),
      ...(d.retired ? { retired: `${d.retired.kind} ${d.retired.date}` } : {}),
      sourceFile: d.sourceFile,
      measures: measuresOf.get(d.id) ?? 0,
    })),
  };
  return { keywordIndex, vectorIndex, embedder, manifest };
}

const ARRAYS = ["offsets", "postingDocs", "postingFreqs", "docLengths"] as const;
const INDEX_FILES = ["keyword-terms.json", ...ARRAYS.map((n) => `keyword-${n}.bin`), VECTORS_FILE, VECTOR_POINTS_FILE, "embedder-idf.bin"];

function writeIndex(directory: string, built: BuiltIndex, logger: Logger): void {
  try {
    // Written aside and renamed, so a crash mid-write leaves the old index or none, never half of one.
    const staging = `${directory}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const checksums: Record<string, string> = {};
    const write = (file: string, bytes: Uint8Array) => {
      writeFileSync(join(staging, file), bytes);
      checksums[file] = checksum(bytes);
    };
    const data = built.keywordIndex.data;
    write("keyword-terms.json", Buffer.from(JSON.stringify(data.terms)));
    for (const name of ARRAYS) write(`keyword-${name}.bin`, new Uint8Array(data[name].buffer, data[name].byteOffset, data[name].byteLength));
    built.vectorIndex.write(join(staging, VECTORS_FILE));
    checksums[VECTORS_FILE] = checksumOfFile(join(staging, VECTORS_FILE));
    const { pointOf } = built.vectorIndex;
    write(VECTOR_POINTS_FILE, new Uint8Array(pointOf.buffer, pointOf.byteOffset, pointOf.byteLength));
    if (built.embedder instanceof LocalEmbedder)
      write("embedder-idf.bin", new Uint8Array(built.embedder.idf.buffer, built.embedder.idf.byteOffset, built.embedder.idf.byteLength));
    // The saved parse is written by the knowledge base, not here: keep its recorded checksum.
    const parsed = readManifestChecksums(directory)[PARSED_CORPUS_FILE];
    if (parsed && existsSync(join(directory, PARSED_CORPUS_FILE))) checksums[PARSED_CORPUS_FILE] = parsed;
    built.manifest.checksums = checksums;
    writeFileSync(join(staging, "manifest.json"), JSON.stringify(built.manifest, null, 2));
    mkdirSync(directory, { recursive: true });
    for (const file of ["manifest.json", ...INDEX_FILES]) rmSync(join(directory, file), { force: true });
    for (const file of [...INDEX_FILES, "manifest.json"]) {
      if (existsSync(join(staging, file))) renameSync(join(staging, file), join(directory, file));
    }
    rmSync(staging, { recursive: true, force: true });
  } catch (error) {
    logger.warn({ err: error, directory }, "could not save the index; it will be rebuilt next start");
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

/**
 * The checksums catch corruption (a flipped bit, a torn or overwritten file),
 * not tampering: whoever can rewrite an index file can rewrite the manifest
 * beside it, so collision resistance buys nothing. sha1 is the fastest hash
 * in node:crypto here (1.8 GB/s, sha256 1.6 with SHA-NI and far slower
 * without it, md5 0.7), and any change of content changes its digest.
 */
const CHECKSUM_ALGORITHM = "sha1";

export function checksum(bytes: Uint8Array): string {
  return createHash(CHECKSUM_ALGORITHM).update(bytes).digest("hex");
}

function readManifestChecksums(directory: string): Record<string, string> {
  try {
    return (JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8")) as Partial<Manifest>).checksums ?? {};
  } catch {
    return {};
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

/**
 * Hashes in chunks, so a vector file of hundreds of MB is never held twice.
 * On the main thread on purpose: hnswlib's read can only start once the hash
 * matches, and a start overlaps that read with the corpus load only if it is
 * queued before the load blocks the thread. A worker hashing concurrently
 * finished later (its answer waits for the load to end; measured at 10,000
 * measures: +0.28 s per start, against +0.03 s hashing here).
 */
export function checksumOfFile(path: string): string {
  const hash = createHash(CHECKSUM_ALGORITHM);
  const chunk = Buffer.allocUnsafe(8 * 2 ** 20);
  const descriptor = openSync(path, "r");
  try {
    for (let read = readSync(descriptor, chunk); read > 0; read = readSync(descriptor, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(descriptor);
  }
  return hash.digest("hex");
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
