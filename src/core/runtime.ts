import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createLogger } from "../logger.js";
import type { EmbedderFactory } from "../search/index-store.js";
import { OpenAIEmbedder } from "../search/openai-embedder.js";
import { type Ask, createAsk } from "./ask.js";
import { type KnowledgeBase, openKnowledgeBase } from "./knowledge-base.js";

export interface Runtime {
  config: Config;
  logger: Logger;
  knowledgeBase: KnowledgeBase;
  ask: Ask;
}

function embedderChoice(config: Config): { embedderFactory?: EmbedderFactory; embedderId?: string } {
  if (config.embeddings !== "openai") return {};
  const make = () =>
    new OpenAIEmbedder({ model: config.embeddingModel, apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, timeoutMs: config.openai.timeoutMs });
  return { embedderFactory: make, embedderId: make().id };
}

/** Loads the knowledge base and wires the core; channels start from here. */
export async function createRuntime(config: Config, logger = createLogger(config.logLevel)): Promise<Runtime> {
  const knowledgeBase = await openKnowledgeBase({ seedsDir: config.seedsDir, indexDir: config.indexDir, logger, ...embedderChoice(config) });
  const ask = createAsk({ knowledgeBase, today: config.today, logger });
  return { config, logger, knowledgeBase, ask };
}
