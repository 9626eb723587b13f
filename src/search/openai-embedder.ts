import OpenAI from "openai";
import { ModelResponseError } from "../errors.js";
import { toModelError } from "../openai-error.js";
import { Resilience, type ResilienceOptions } from "../resilience.js";
import type { Embedder } from "../types.js";

export interface OpenAIEmbedderOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  /** Known dimension of the model; found on the first call when not given. */
  dimension?: number;
  /** Timeout, retries and breaker, shared in kind with the chat model's. */
  resilience: ResilienceOptions;
  /** Called once per failed embedding call, after retries; the caller decides what to do without vectors. */
  onFailure?: (error: unknown) => void;
}

const BATCH_SIZE = 256;

/**
 * Embeddings from any OpenAI-compatible /v1/embeddings endpoint, through the
 * same resilience as the chat model (the openai client itself does not retry),
 * so one breaker sees every failure and a dead endpoint costs one timeout.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  dimension: number;
  private readonly client: OpenAI;
  private readonly resilience: Resilience;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    const { model, apiKey, baseURL, dimension = 0 } = options;
    this.id = `openai:${model}@${baseURL ?? "api.openai.com"}`;
    this.dimension = dimension;
    this.client = new OpenAI({ apiKey: apiKey || "not-needed", baseURL, maxRetries: 0, timeout: 600_000 });
    this.resilience = new Resilience({ endpoint: "the embeddings endpoint", ...options.resilience });
  }

  get open(): boolean {
    return this.resilience.open;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const out: Float32Array[] = [];
    try {
      for (let i = 0; i < texts.length; i += BATCH_SIZE)
        out.push(...(await this.resilience.run(({ signal }) => this.batch(texts.slice(i, i + BATCH_SIZE), signal))));
    } catch (error) {
      this.options.onFailure?.(error);
      throw error;
    }
    if (!this.dimension) this.dimension = out[0].length;
    return out;
  }

  private async batch(input: string[], signal: AbortSignal): Promise<Float32Array[]> {
    const response = await this.client.embeddings
      .create({ model: this.options.model, input, encoding_format: "float" }, { signal })
      .catch((error) => Promise.reject(toModelError(error)));
    const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== input.length)
      throw new ModelResponseError("malformed", `the embeddings endpoint returned ${data.length} vectors for ${input.length} texts`);
    return data.map((item) => normalise(Float32Array.from(item.embedding)));
  }
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
