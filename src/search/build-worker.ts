import { rmSync } from "node:fs";
import { parentPort, threadId } from "node:worker_threads";
import { AppError } from "../errors.js";
import type { Embedder } from "../types.js";
import type { BuildReply, BuildRequest, BuildResult } from "./build-in-worker.js";
import { buildParts, completeManifest, localEmbedderFactory, saveIndex, VECTORS_FILE } from "./index-build.js";
import { LocalEmbedder } from "./local-embedder.js";

/*
 * The build worker (started by build-in-worker.ts through build-worker.mjs):
 * builds the index of a corpus with the same code a first start runs inline,
 * saves it into the request's folder, and sends back what the main thread needs
 * to serve it: the keyword arrays and the embedder's table (their memory moved,
 * not copied) and where the vector graph was written, for hnswlib to read on its
 * own thread. The graph itself cannot cross threads.
 */

function texts({ texts, lengths }: BuildRequest): string[] {
  const out = new Array<string>(lengths.length);
  for (let i = 0, at = 0; i < lengths.length; at += lengths[i], i++) out[i] = texts.slice(at, at + lengths[i]);
  return out;
}

/** The remote embedder's vectors, made on the main thread: views into the one array sent. */
function embedded(request: BuildRequest): { embedder: Embedder; vectors: Float32Array[] } | undefined {
  const { remote } = request;
  if (!remote) return undefined;
  const vectors = new Array<Float32Array>(remote.lengths.length);
  for (let i = 0, at = 0; i < vectors.length; at += remote.lengths[i], i++) vectors[i] = remote.vectors.subarray(at, at + remote.lengths[i]);
  const embedder: Embedder = { id: remote.id, dimension: remote.dimension, embed: () => Promise.reject(new Error("the build worker does not embed")) };
  return { embedder, vectors };
}

async function build(request: BuildRequest): Promise<BuildResult> {
  const parts = await buildParts(texts(request), localEmbedderFactory, embedded(request));
  const manifest = completeManifest(request.manifest, parts, request.started);
  let vectorsFile = `${request.directory}/${VECTORS_FILE}`;
  let saveError: string | undefined;
  try {
    saveIndex(request.directory, parts, manifest);
  } catch (error) {
    // Served all the same, as an index built inline is: the graph goes to a file of its own for the main thread to read.
    saveError = (error as Error).message;
    vectorsFile = `${request.directory}.vectors-${process.pid}-${threadId}.hnsw`;
    rmSync(vectorsFile, { force: true });
    parts.vectorIndex.write(vectorsFile);
  }
  const { terms, offsets, postingDocs, postingFreqs, docLengths } = parts.keywordIndex.data;
  return {
    ok: true,
    keyword: { terms, offsets, postingDocs, postingFreqs, docLengths },
    idf: parts.embedder instanceof LocalEmbedder ? parts.embedder.idf : undefined,
    pointOf: parts.vectorIndex.pointOf,
    vectorsFile,
    temporaryVectorsFile: saveError !== undefined,
    manifest,
    saveError,
  };
}

// Builds one request at a time (the main thread queues them) for as long as the main thread keeps it.
const port = parentPort!;
port.on("message", (request: BuildRequest) => {
  build(request).then(
    (reply) => {
      const { offsets, postingDocs, postingFreqs, docLengths } = reply.keyword;
      const buffers = new Set([offsets, postingDocs, postingFreqs, docLengths, reply.pointOf, reply.idf].filter((a) => a !== undefined).map((a) => a.buffer));
      port.postMessage(reply satisfies BuildReply, [...buffers] as ArrayBuffer[]);
    },
    (error: Error) => {
      const code = error instanceof AppError ? error.code : undefined;
      port.postMessage({ ok: false, error: { name: error.name, message: error.message, stack: error.stack, code } } satisfies BuildReply);
    },
  );
});
