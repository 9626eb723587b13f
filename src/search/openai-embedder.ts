import { OpenAIEmbeddings } from "@langchain/openai";
import type { Embedder } from "../types.js";

export interface OpenAIEmbedderOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  /** Known dimension of the model; found on the first call when not given. */
  dimension?: number;
  timeoutMs?: number;
}

/** Embeddings from any OpenAI-compatible /v1/embeddings endpoint, through langchain. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  dimension: number;
  private readonly client: OpenAIEmbeddings;

  constructor({ model, apiKey, baseURL, dimension = 0, timeoutMs = 30_000 }: OpenAIEmbedderOptions) {
    this.id = `openai:${model}@${baseURL ?? "api.openai.com"}`;
    this.dimension = dimension;
    this.client = new OpenAIEmbeddings({
      model,
      apiKey: apiKey || "not-needed",
      configuration: baseURL ? { baseURL } : undefined,
      timeout: timeoutMs,
      maxRetries: 2,
      batchSize: 256,
    });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const vectors = await this.client.embedDocuments(texts);
    const out = vectors.map((v) => normalise(Float32Array.from(v)));
    if (!this.dimension) this.dimension = out[0].length;
    return out;
  }
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
