import { ModelResponseError } from "../errors.js";
import { fetchWithSignal, toOllamaError } from "../ollama-error.js";
import { Resilience, type ResilienceOptions } from "../resilience.js";
import type { Embedder } from "../types.js";

export interface OllamaEmbedderOptions {
  /** An embedding model pulled on the server, e.g. bge-m3. */
  model: string;
  /** The Ollama server (OLLAMA_BASE_URL). */
  baseURL: string;
  dimension?: number;
  /** Timeout, retries and breaker, the same policy as every other model endpoint's. */
  resilience: ResilienceOptions;
  /** Called once per failed embedding call, after retries; the caller decides what to do without vectors. */
  onFailure?: (error: unknown) => void;
}

// Smaller than the OpenAI batch: a local GPU box embeds a batch in one go and a timeout costs the whole batch.
const BATCH_SIZE = 64;

/**
 * Embeddings from an Ollama server's /api/embed through LangChain's OllamaEmbeddings, with LangChain's own
 * retries off and our resilience around each batch, so one breaker sees every failure.
 */
export class OllamaEmbedder implements Embedder {
  readonly id: string;
  dimension: number;
  private readonly resilience: Resilience;

  constructor(private readonly options: OllamaEmbedderOptions) {
    this.id = `ollama:${options.model}@${options.baseURL}`;
    this.dimension = options.dimension ?? 0;
    this.resilience = new Resilience({ endpoint: "the Ollama embeddings endpoint", ...options.resilience });
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
    // Loaded on first use: a start with the local embedder never loads LangChain.
    const { OllamaEmbeddings } = await import("@langchain/ollama");
    // A client per batch, so its fetch carries this attempt's signal (the deadline cuts a stalled request).
    const embeddings = new OllamaEmbeddings({ model: this.options.model, baseUrl: this.options.baseURL, maxRetries: 0, fetch: fetchWithSignal(signal) });
    const vectors = await embeddings.embedDocuments(input).catch((error) => Promise.reject(toOllamaError(error)));
    if (vectors?.length !== input.length)
      throw new ModelResponseError("malformed", `Ollama returned ${vectors?.length ?? 0} vectors for ${input.length} texts`);
    return vectors.map((vector) => normalise(Float32Array.from(vector)));
  }
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
