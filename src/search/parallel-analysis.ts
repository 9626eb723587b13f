import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type DocumentTerms, type KeywordIndex, KeywordIndexBuilder, keywordIndexOf } from "./keyword-index.js";
import { type BucketCounts, featuresOf, idfOf, LocalEmbedder, LocalEmbedderFit, vectorsOf } from "./local-embedder.js";
import { indexWords, termsOf } from "./tokenize.js";

/*
 * A large build's analysis on several threads: each cuts its share of the
 * texts with jieba (the longest part of a build after the vector graph) and
 * hashes their features; this thread merges the term dictionaries in the order
 * one thread would have met them and sums the embedder's document frequencies,
 * so the keyword index, the idf and every vector are the same, bit for bit, as
 * a build on one thread.
 */

/** Below this many texts a build stays on one thread: starting workers (~0.5 s under tsx) costs more than it saves. */
export const PARALLEL_ANALYSIS_MIN_TEXTS = 50_000;

/** Threads for a large build's analysis: every core, up to four. */
export const analysisThreads = () => Math.min(4, availableParallelism());

export type AnalyseRequest = { kind: "analyse"; texts: string; lengths: Uint32Array; dimension: number } | { kind: "vectors"; idf: Float32Array };

export type ChunkAnalysis = DocumentTerms & BucketCounts;

export function analyseChunk(texts: string, lengths: Uint32Array, dimension: number): ChunkAnalysis {
  const keywords = new KeywordIndexBuilder();
  const fit = new LocalEmbedderFit(dimension);
  for (let i = 0, at = 0; i < lengths.length; at += lengths[i], i++) {
    const text = texts.slice(at, at + lengths[i]);
    const words = indexWords(text);
    keywords.add(termsOf(text, words));
    fit.add(featuresOf(text, words));
  }
  return { ...keywords.documents(), ...fit.counts() };
}

export function vectorsOfChunk(chunk: BucketCounts, idf: Float32Array): Float32Array {
  return vectorsOf(chunk, idf);
}

/** The worker's next reply; its crash or exit rejects instead. */
function nextReply<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    const exit = (code: number) => reject(new Error(`an analysis worker stopped (exit code ${code})`));
    worker.once("message", (reply: T) => {
      worker.off("error", fail).off("exit", exit);
      resolve(reply);
    });
    worker.once("error", fail).once("exit", exit);
  });
}

/** The keyword index, the fitted local embedder and every text's vector, the texts cut on `threads` threads. */
export async function analyseInParallel(
  texts: string[],
  threads: number,
  dimension = 384,
): Promise<{ keywordIndex: KeywordIndex; embedder: LocalEmbedder; vectors: Float32Array[] }> {
  const size = Math.ceil(texts.length / threads);
  const chunks = Array.from({ length: threads }, (_, c) => texts.slice(c * size, (c + 1) * size)).filter((chunk) => chunk.length);
  const workers = chunks.map(() => new Worker(new URL("./analyse-worker.mjs", import.meta.url), { name: "index-analysis" }));
  try {
    const analyses = await Promise.all(
      chunks.map((chunk, c) => {
        const reply = nextReply<DocumentTerms & { df: Float32Array }>(workers[c]);
        workers[c].postMessage({
          kind: "analyse",
          texts: chunk.join(""),
          lengths: Uint32Array.from(chunk, (t) => t.length),
          dimension,
        } satisfies AnalyseRequest);
        return reply;
      }),
    );
    const df = new Float32Array(dimension);
    for (const analysis of analyses) for (let b = 0; b < dimension; b++) df[b] += analysis.df[b];
    const idf = idfOf(df, texts.length);
    const vectorReplies = workers.map((worker) => {
      const reply = nextReply<{ vectors: Float32Array }>(worker);
      worker.postMessage({ kind: "vectors", idf } satisfies AnalyseRequest);
      return reply;
    });
    const keywordIndex = keywordIndexOf(mergeTerms(analyses));
    const vectors: Float32Array[] = [];
    for (const { vectors: rows } of await Promise.all(vectorReplies))
      for (let at = 0; at < rows.length; at += dimension) vectors.push(rows.subarray(at, at + dimension));
    return { keywordIndex, embedder: LocalEmbedder.fromIdf(idf), vectors };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The chunks' documents end to end, their term ids renumbered into one dictionary in the order one thread would have made it. */
function mergeTerms(chunks: DocumentTerms[]): DocumentTerms {
  const ids = new Map<string, number>();
  const entries = chunks.reduce((sum, c) => sum + c.termIds.length, 0);
  const documents = chunks.reduce((sum, c) => sum + c.docLengths.length, 0);
  const termOffsets = new Uint32Array(documents + 1);
  const termIds = new Uint32Array(entries);
  const termFreqs = new Uint16Array(entries);
  const docLengths = new Uint32Array(documents);
  let doc = 0;
  let entry = 0;
  for (const chunk of chunks) {
    const global = Uint32Array.from(chunk.terms, (term) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
      }
      return id;
    });
    for (let k = 0; k < chunk.termIds.length; k++) termIds[entry + k] = global[chunk.termIds[k]];
    termFreqs.set(chunk.termFreqs, entry);
    docLengths.set(chunk.docLengths, doc);
    for (let d = 1; d < chunk.termOffsets.length; d++) termOffsets[doc + d] = entry + chunk.termOffsets[d];
    entry += chunk.termIds.length;
    doc += chunk.docLengths.length;
  }
  return { terms: [...ids.keys()], termOffsets, termIds, termFreqs, docLengths };
}
