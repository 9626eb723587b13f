import { parentPort } from "node:worker_threads";
import { type AnalyseRequest, analyseChunk, type ChunkAnalysis, vectorsOfChunk } from "./parallel-analysis.js";

/*
 * One thread of a large build's analysis (parallel-analysis.ts): cuts its share
 * of the texts with jieba and hashes their features, replies with their terms
 * and the embedder's bucket counts, then, once the main thread has summed the
 * document frequencies, makes its texts' vectors from the counts it kept.
 */
const port = parentPort!;
let kept: ChunkAnalysis | undefined;
port.on("message", (request: AnalyseRequest) => {
  if (request.kind === "analyse") {
    kept = analyseChunk(request.texts, request.lengths, request.dimension);
    const { terms, termOffsets, termIds, termFreqs, docLengths, df } = kept;
    port.postMessage({ terms, termOffsets, termIds, termFreqs, docLengths, df }, [
      termOffsets.buffer,
      termIds.buffer,
      termFreqs.buffer,
      docLengths.buffer,
      df.buffer,
    ] as ArrayBuffer[]);
  } else {
    const vectors = vectorsOfChunk(kept!, request.idf);
    kept = undefined;
    port.postMessage({ vectors }, [vectors.buffer as ArrayBuffer]);
  }
});
