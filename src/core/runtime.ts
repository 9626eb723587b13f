import type { Logger } from "pino";
import { configuredChatModel } from "../answer/model/chat-model.js";
import { withAnswerDeadline } from "../answer/model/deadline.js";
import { createModelWriter, type ModelStats, newModelStats } from "../answer/model/model-writer.js";
import { loadPrompts } from "../answer/model/prompts.js";
import { createModelExpander, createModelJudge, createModelRewriter } from "../answer/model/query-reading.js";
import { ResilientChatModel } from "../answer/model/resilient.js";
import type { ChangeFeed } from "../cluster/change-feed.js";
import type { Config } from "../config.js";
import { ModelError } from "../errors.js";
import type { QuestionLibrary } from "../library/question-library.js";
import { createLogger } from "../logger.js";
import type { EmbedderFactory } from "../search/index-store.js";
import { type KnowledgeBase, openKnowledgeBase } from "../search/open-knowledge-base.js";
import { createRemoteEmbedder } from "../search/remote-embedder.js";
import { withAnswerCache } from "./answer-cache.js";
import { type Ask, createAsk, warmUp } from "./ask.js";

export interface Runtime {
  config: Config;
  logger: Logger;
  /** The current knowledge base; a publish replaces it (see swapKnowledgeBase). */
  readonly knowledgeBase: KnowledgeBase;
  /**
   * Replaces the knowledge base at once: an answer already under way finishes on
   * the one it started with, the next one uses the new one. Build it beside first.
   */
  swapKnowledgeBase(next: KnowledgeBase): void;
  /** The embedder a knowledge base built beside (a publish) must use: the one the current one was built with. */
  embedder: { embedderFactory?: EmbedderFactory; embedderId?: string };
  ask: Ask;
  /** What the model path did, when a model is configured. */
  modelStats?: ModelStats;
  promptVersion?: string;
  /** The question library `ask` consults, opened on the store's database (main.ts); staff routes edit it. */
  library?: QuestionLibrary;
  /**
   * Tells the other instances of a change staff made here, and this one of theirs (src/cluster/change-feed.ts):
   * `changes.publish("library", entryId)` after a library write commits, `changes.publish("document", id)` after a
   * publish or retirement; `changes.subscribe(({ kind }) => …)` reloads what changed. Absent for one-shot commands.
   */
  changes?: ChangeFeed;
}

function embedderChoice(config: Config, logger: Logger, stats: ModelStats): { embedderFactory?: EmbedderFactory; embedderId?: string } {
  if (config.embeddings === "local") return {};
  const onFailure = (error: unknown) => {
    stats.embeddingFallbacks++;
    if (error instanceof ModelError) logger.warn({ reason: error.message, code: error.code }, "embeddings unavailable; searching by keywords alone");
    else logger.error({ err: error }, "embedding failed with an internal error; searching by keywords alone");
  };
  const make = () => createRemoteEmbedder(config, { onFailure });
  return { embedderFactory: make, embedderId: make().id };
}

/** Loads the knowledge base and wires the core; channels start from here. */
export async function createRuntime(
  config: Config,
  logger = createLogger(config.logLevel),
  { library, changes }: { library?: QuestionLibrary; changes?: ChangeFeed } = {},
): Promise<Runtime> {
  const modelStats = newModelStats();
  const embedder = embedderChoice(config, logger, modelStats);
  let knowledgeBase = await openKnowledgeBase({
    seedsDir: config.seedsDir,
    documentsDir: config.documentsDir,
    indexDir: config.indexDir,
    logger,
    ...embedder,
  });
  // Before the first question, not during it; after a publish they are built again by the first question that needs them.
  warmUp(knowledgeBase);
  const current = () => knowledgeBase;
  const holder = {
    config,
    logger,
    library,
    changes,
    embedder,
    get knowledgeBase() {
      return knowledgeBase;
    },
    swapKnowledgeBase(next: KnowledgeBase) {
      knowledgeBase = next;
    },
  };
  if (config.answers !== "llm") {
    // Only answers that are the same every time: a model's are not, and with remote embeddings an outage gives
    // keyword-only answers that must not outlive it.
    const ask = withAnswerCache(createAsk({ knowledgeBase: current, today: config.today, logger, library }), {
      capacity: config.embeddings === "local" ? config.answerCacheSize : 0,
      generation: () => [knowledgeBase, library?.currentRevision, config.today()],
    });
    return Object.assign(holder, { ask, ...(config.embeddings !== "local" ? { modelStats } : {}) });
  }

  const prompts = loadPrompts(config.promptsDir);
  const model = new ResilientChatModel(await configuredChatModel(config), {
    timeoutMs: config.openai.timeoutMs,
  });
  const writer = createModelWriter({ model, prompts, today: config.today, logger, stats: modelStats });
  const rewriter = createModelRewriter({ model, prompts, logger });
  const expander = createModelExpander({ model, prompts, logger });
  const relevance = createModelJudge({ model, prompts, logger });
  const ask = withAnswerDeadline(
    createAsk({ knowledgeBase: current, today: config.today, logger, writer, rewriter, expander, relevance, library }),
    config.openai.timeoutMs,
  );
  logger.info({ model: model.id, prompts: prompts.version }, "answers are written by the model and verified");
  return Object.assign(holder, { ask, modelStats, promptVersion: prompts.version });
}
