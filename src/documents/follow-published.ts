import { rmSync } from "node:fs";
import type { Logger } from "pino";
import { readPublished, seedPart, withPublished } from "../corpus/published-corpus.js";
import { knowledgeBaseFromCorpus, updatedKnowledgeBase } from "../search/open-knowledge-base.js";
import { type PublishTarget, sameEmbedder } from "./publisher.js";

let builds = 0;

/**
 * Another instance published or retired documents (a "document" change on
 * runtime.changes): rebuild this instance's knowledge base from the published
 * set in DOCUMENTS_DIR, a folder every instance shares, and swap it in. The set
 * is only read here, never written: the instance that published wrote it. Calls
 * made while a rebuild runs are folded into one more rebuild after it.
 */
export function followPublished({ target, indexDir, documentsDir, logger }: { target: PublishTarget; indexDir: string; documentsDir: string; logger: Logger }) {
  let running: Promise<void> | undefined;
  let again = false;
  async function rebuild(): Promise<void> {
    const started = performance.now();
    const published = readPublished(documentsDir);
    if (published.damaged) {
      // The instance that wrote it rewrites it from the documents table at its next start; this one keeps what it serves.
      logger.error({ reason: published.damaged }, "the published set is damaged; keeping the documents already served here");
      return;
    }
    const corpus = withPublished(seedPart(target.knowledgeBase.corpus), published);
    const staging = `${indexDir}.follow-${process.pid}-${++builds}`;
    try {
      const inPlace = sameEmbedder(target) ? await updatedKnowledgeBase(target.knowledgeBase, corpus, {}).catch(() => undefined) : undefined;
      target.swapKnowledgeBase(inPlace ?? (await knowledgeBaseFromCorpus(corpus, { indexDir: staging, logger, ...target.embedder })));
      logger.info({ measures: corpus.measures.length, ms: Math.round(performance.now() - started) }, "documents published elsewhere are live here");
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return function follow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await rebuild();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}
