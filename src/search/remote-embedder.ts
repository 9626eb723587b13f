import type { Config } from "../config.js";
import type { Embedder } from "../types.js";
import { OllamaEmbedder } from "./ollama-embedder.js";
import { OpenAIEmbedder } from "./openai-embedder.js";

/** The embedder EMBEDDINGS_PROVIDER names, when it is a remote one (openai or ollama), behind our resilience. */
export function createRemoteEmbedder(config: Config, { onFailure }: { onFailure?: (error: unknown) => void } = {}): Embedder {
  const { apiKey, baseURL, timeoutMs } = config.openai;
  const resilience = { timeoutMs };
  if (config.embeddings === "ollama") return new OllamaEmbedder({ model: config.embeddingModel, baseURL: config.ollama.baseURL, resilience, onFailure });
  return new OpenAIEmbedder({ model: config.embeddingModel, apiKey, baseURL, resilience, onFailure });
}
