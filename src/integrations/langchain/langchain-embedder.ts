import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Embedder } from "../../types.js";

/**
 * Any LangChain embeddings as our Embedder, so an index can be built with a provider LangChain speaks and we do
 * not. Give it embeddings with `maxRetries: 0`: whoever builds the index decides what a failure costs.
 */
export class LangChainEmbedder implements Embedder {
  dimension = 0;

  constructor(
    private readonly embeddings: EmbeddingsInterface,
    readonly id: string,
  ) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const vectors = (await this.embeddings.embedDocuments(texts)).map((vector) => unit(Float32Array.from(vector)));
    if (!this.dimension) this.dimension = vectors[0].length;
    return vectors;
  }
}

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
