import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Embedder } from "../types.js";
import type { EmbedderFactory, Manifest } from "./index-store.js";
import { KeywordIndex, KeywordIndexBuilder } from "./keyword-index.js";
import { featuresOf, LocalEmbedder, LocalEmbedderFit } from "./local-embedder.js";
import { analyseInParallel, analysisThreads, PARALLEL_ANALYSIS_MIN_TEXTS } from "./parallel-analysis.js";
import { indexWords, termsOf } from "./tokenize.js";
import { VectorIndex } from "./vector-index.js";

/*
 * The build's CPU work and the writing of its files, shared by the build worker
 * (build-worker.ts, a rebuild while serving) and index-store.ts (a first start).
 * Only the indexes are imported here, so the worker loads no answering code.
 */

/** The parse saved beside the index by the knowledge base; its checksum lives in the same manifest. */
export const PARSED_CORPUS_FILE = "corpus.v8";
export const VECTORS_FILE = "vectors.hnsw";
/** Each measure's stored vector (identical vectors are stored once): Uint32 per measure. */
export const VECTOR_POINTS_FILE = "vector-points.bin";
export const KEYWORD_ARRAYS = ["offsets", "postingDocs", "postingFreqs", "docLengths"] as const;
const INDEX_FILES = ["keyword-terms.json", ...KEYWORD_ARRAYS.map((n) => `keyword-${n}.bin`), VECTORS_FILE, VECTOR_POINTS_FILE, "embedder-idf.bin"];

/** The local embedder is fitted to the corpus (CPU work: in the build worker during a rebuild); a remote one is not. */
export const localEmbedderFactory: EmbedderFactory = (texts, saved) => (saved?.idf ? LocalEmbedder.fromIdf(saved.idf) : LocalEmbedder.fit(texts));

export interface IndexParts {
  keywordIndex: KeywordIndex;
  vectorIndex: VectorIndex;
  embedder: Embedder;
}

/** Lets the event loop run; on the main thread a step at a time is all answering gets while a build runs there. */
export const breathe = () => new Promise((resolve) => setImmediate(resolve));

/** Every text's vector, 512 at a time. */
export async function embedAll(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 512) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + 512))));
    await breathe();
  }
  return vectors;
}

/**
 * The keyword index, the embedder (the local one is fitted to the texts) and
 * the vector graph. `embedded` holds vectors a remote embedder already made
 * (on the main thread: that is waiting on the network, not work).
 */
export async function buildParts(
  texts: string[],
  embedderFactory: EmbedderFactory,
  embedded?: { embedder: Embedder; vectors: Float32Array[] },
): Promise<IndexParts> {
  if (!embedded && embedderFactory === localEmbedderFactory) return buildLocalParts(texts);
  const keywordIndex = KeywordIndex.build(texts);
  await breathe();
  const embedder = embedded?.embedder ?? embedderFactory(texts);
  await breathe();
  const vectors = embedded?.vectors ?? (await embedAll(embedder, texts));
  const dimension = vectors[0]?.length ?? embedder.dimension;
  const vectorIndex = VectorIndex.build(vectors, dimension);
  return { keywordIndex, vectorIndex, embedder };
}

/**
 * The local embedder's build: each text cut by jieba once, its words feeding both the keyword index and the
 * embedder's features, which are fitted and embedded in the same pass. Cutting and hashing every text twice
 * was a third of a build at 100,000 clauses.
 */
async function buildLocalParts(texts: string[]): Promise<IndexParts> {
  const threads = analysisThreads();
  if (texts.length >= PARALLEL_ANALYSIS_MIN_TEXTS && threads > 1) {
    const { keywordIndex, embedder, vectors } = await analyseInParallel(texts, threads);
    return { keywordIndex, vectorIndex: VectorIndex.build(vectors, embedder.dimension), embedder };
  }
  const keywords = new KeywordIndexBuilder();
  const fit = new LocalEmbedderFit();
  for (let i = 0; i < texts.length; i++) {
    const words = indexWords(texts[i]);
    keywords.add(termsOf(texts[i], words));
    fit.add(featuresOf(texts[i], words));
    if (i % 2048 === 2047) await breathe();
  }
  const keywordIndex = keywords.finish();
  await breathe();
  const { embedder, vectors } = fit.finish();
  await breathe();
  const vectorIndex = VectorIndex.build(vectors, embedder.dimension);
  return { keywordIndex, vectorIndex, embedder };
}

/** Fills in what only the build knows: the embedder, the dimension and how long it took (`started`: epoch ms). */
export function completeManifest(manifest: Manifest, parts: IndexParts, started: number): Manifest {
  manifest.embedder = parts.embedder.id;
  manifest.dimension = parts.vectorIndex.dimension;
  manifest.builtAt = new Date().toISOString();
  manifest.buildSeconds = Number(((Date.now() - started) / 1000).toFixed(2));
  return manifest;
}

/**
 * Writes the index files and the manifest (with their checksums) into
 * `directory`: written aside and renamed, so a crash mid-write leaves the old
 * index or none, never half of one. Throws when it cannot.
 */
export function saveIndex(directory: string, parts: IndexParts, manifest: Manifest): void {
  const staging = `${directory}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const checksums: Record<string, string> = {};
  const write = (file: string, bytes: Uint8Array) => {
    writeFileSync(join(staging, file), bytes);
    checksums[file] = checksum(bytes);
  };
  const data = parts.keywordIndex.data;
  write("keyword-terms.json", Buffer.from(JSON.stringify(data.terms)));
  for (const name of KEYWORD_ARRAYS) write(`keyword-${name}.bin`, new Uint8Array(data[name].buffer, data[name].byteOffset, data[name].byteLength));
  parts.vectorIndex.write(join(staging, VECTORS_FILE));
  checksums[VECTORS_FILE] = checksumOfFile(join(staging, VECTORS_FILE));
  const { pointOf } = parts.vectorIndex;
  write(VECTOR_POINTS_FILE, new Uint8Array(pointOf.buffer, pointOf.byteOffset, pointOf.byteLength));
  if (parts.embedder instanceof LocalEmbedder)
    write("embedder-idf.bin", new Uint8Array(parts.embedder.idf.buffer, parts.embedder.idf.byteOffset, parts.embedder.idf.byteLength));
  // The saved parse is written by the knowledge base, not here: keep its recorded checksum.
  const parsed = readManifestChecksums(directory)[PARSED_CORPUS_FILE];
  if (parsed && existsSync(join(directory, PARSED_CORPUS_FILE))) checksums[PARSED_CORPUS_FILE] = parsed;
  manifest.checksums = checksums;
  writeFileSync(join(staging, "manifest.json"), JSON.stringify(manifest, null, 2));
  mkdirSync(directory, { recursive: true });
  for (const file of ["manifest.json", ...INDEX_FILES]) rmSync(join(directory, file), { force: true });
  for (const file of [...INDEX_FILES, "manifest.json"]) {
    if (existsSync(join(staging, file))) renameSync(join(staging, file), join(directory, file));
  }
  rmSync(staging, { recursive: true, force: true });
}

export function readManifestChecksums(directory: string): Record<string, string> {
  try {
    return (JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8")) as Partial<Manifest>).checksums ?? {};
  } catch {
    return {};
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

/**
 * Hashes in chunks, so a vector file of hundreds of MB is never held twice.
 * On the main thread on purpose at a start: hnswlib's read can only start once
 * the hash matches, and a start overlaps that read with the corpus load only if
 * it is queued before the load blocks the thread. A worker hashing concurrently
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
