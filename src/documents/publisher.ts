import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { type PublishedSnapshot, seedPart, withPublished, writePublished } from "../corpus/published-corpus.js";
import { saveIndex } from "../search/index-build.js";
import { type EmbedderFactory, PARSED_CORPUS_FILE } from "../search/index-store.js";
import { type KnowledgeBase, knowledgeBaseFromCorpus, updatedKnowledgeBase } from "../search/open-knowledge-base.js";

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
 * Publishes a set of uploads without a restart: writes the snapshot, changes the
 * live indexes in place for the documents added, replaced or retired (or builds a
 * knowledge base of the seeds plus the set whole, when much changed), swaps it in
 * (answers under way finish on the old one), then writes its files into the index
 * folder for the next start. Publishes run one at a time.
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
        const inPlace = sameEmbedder(target)
          ? await updatedKnowledgeBase(target.knowledgeBase, corpus, {}).catch((error: unknown) => {
              logger.warn({ err: error }, "could not publish in place; building the index whole");
              return undefined;
            })
          : undefined;
        const next = inPlace ?? (await knowledgeBaseFromCorpus(corpus, { indexDir: staging, logger, ...target.embedder }));
        target.swapKnowledgeBase(next);
        const swapped = performance.now();
        // Changed in place, the index is written whole once it serves, for the next start to read.
        if (inPlace) saveIndex(staging, inPlace.index, inPlace.index.manifest);
        mkdirSync(indexDir, { recursive: true });
        for (const name of readdirSync(staging)) renameSync(join(staging, name), join(indexDir, name));
        // The saved parse was of the previous set (and its checksum went with the old manifest): the next start parses again.
        rmSync(join(indexDir, PARSED_CORPUS_FILE), { force: true });
        logger.info(
          {
            documents: snapshot.documents.length,
            measures: corpus.measures.length,
            inPlace: Boolean(inPlace),
            ms: Math.round(swapped - started),
            savedMs: Math.round(performance.now() - swapped),
          },
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

/** An index changes in place only with the embedder that made it: another one's vectors do not compare with its own. */
export function sameEmbedder({ knowledgeBase, embedder }: PublishTarget): boolean {
  return embedder?.embedderId === undefined || embedder.embedderId === knowledgeBase.index.embedder.id;
}
