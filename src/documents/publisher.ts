import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { type PublishedSnapshot, seedPart, withPublished, writePublished } from "../corpus/published-corpus.js";
import { type EmbedderFactory, PARSED_CORPUS_FILE } from "../search/index-store.js";
import { type KnowledgeBase, knowledgeBaseFromCorpus } from "../search/open-knowledge-base.js";

/** What publishing needs of the runtime: the live knowledge base, the swap, and the embedder it was built with. */
export interface PublishTarget {
  readonly knowledgeBase: KnowledgeBase;
  swapKnowledgeBase(next: KnowledgeBase): void;
  embedder?: { embedderFactory?: EmbedderFactory; embedderId?: string };
}

export interface PublisherOptions {
  target: PublishTarget;
  indexDir: string;
  documentsDir: string;
  logger: Logger;
}

let builds = 0;

/**
 * Publishes a set of uploads without a restart: writes the snapshot, builds a
 * knowledge base of the seeds plus the set in a folder beside the index, swaps
 * it in (answers under way finish on the old one), then moves its files into
 * the index folder for the next start. Publishes run one at a time.
 */
export function createPublisher({ target, indexDir, documentsDir, logger }: PublisherOptions) {
  let queue: Promise<unknown> = Promise.resolve();
  return function publish(snapshot: PublishedSnapshot): Promise<KnowledgeBase> {
    const run = queue.then(async () => {
      const started = performance.now();
      writePublished(documentsDir, snapshot);
      const corpus = withPublished(seedPart(target.knowledgeBase.corpus), snapshot);
      const staging = `${indexDir}.publish-${process.pid}-${++builds}`;
      try {
        const next = await knowledgeBaseFromCorpus(corpus, { indexDir: staging, logger, ...target.embedder });
        target.swapKnowledgeBase(next);
        mkdirSync(indexDir, { recursive: true });
        for (const name of readdirSync(staging)) renameSync(join(staging, name), join(indexDir, name));
        // The saved parse was of the previous set (and its checksum went with the old manifest): the next start parses again.
        rmSync(join(indexDir, PARSED_CORPUS_FILE), { force: true });
        logger.info(
          { documents: snapshot.documents.length, measures: corpus.measures.length, ms: Math.round(performance.now() - started) },
          "documents published",
        );
        return next;
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
export type Publish = ReturnType<typeof createPublisher>;
