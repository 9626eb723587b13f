import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { PUBLISHED_FILE, publishedFingerprint, readPublished } from "../corpus/published-corpus.js";
import { createDocumentsService, type DocumentsService } from "../documents/documents-service.js";
import { type DocumentsSchema, documentsMigrations } from "../documents/documents-table.js";
import { followPublished } from "../documents/follow-published.js";
import { createPublisher, type Publish } from "../documents/publisher.js";
import { type AuditSchema, auditMigrations } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import type { Store } from "../store/sqlite-store.js";
import type { Runtime } from "./runtime.js";

/** The documents service on the store's database, publishing into the runtime's knowledge base. */
export async function openDocumentsService(runtime: Runtime, store: Pick<Store, "db">): Promise<DocumentsService> {
  const { config, logger } = runtime;
  const db = await openStaffDatabase<DocumentsSchema & AuditSchema>(store.db, { ...auditMigrations, ...documentsMigrations });
  const build = createPublisher({ target: runtime, indexDir: config.indexDir, documentsDir: config.documentsDir, logger });
  // Every publish, retirement and deletion goes through here: the other instances are told, and rebuild
  // from the published set in the shared DOCUMENTS_DIR (issue 14).
  const publish: Publish = async (snapshot) => {
    const next = await build(snapshot);
    await runtime.changes
      ?.publish("document", publishedFingerprint(config.documentsDir))
      .catch((error) => logger.warn({ err: error }, "could not tell the other instances of a publish; they catch up at their next check"));
    return next;
  };
  const follow = followPublished({ target: runtime, indexDir: config.indexDir, documentsDir: config.documentsDir, logger });
  runtime.changes?.subscribe(({ kind }) => (kind === "document" ? follow() : undefined));
  const documents = createDocumentsService({ db, documentsDir: config.documentsDir, publish, logger, limits: config.uploads });
  const published = await db.selectFrom("policy_documents").select("id").where("state", "=", "published").execute();
  await restorePublished({ documents, documentsDir: config.documentsDir, logger, publishedCount: published.length });
  return documents;
}

/**
 * At start, the published set in DOCUMENTS_DIR made whole again when the
 * database says documents are published: gone (a restored or moved folder),
 * the kept originals are read again; damaged (a changed byte, a cut-off file,
 * no checksum), it is written again from the documents table, which holds
 * every published document as it was read and corrected.
 */
export async function restorePublished({
  documents,
  documentsDir,
  logger,
  publishedCount,
}: {
  documents: Pick<DocumentsService, "reparse" | "republish">;
  documentsDir: string;
  logger: Logger;
  publishedCount: number;
}): Promise<"kept" | "reparsed" | "republished"> {
  const { damaged } = readPublished(documentsDir);
  if (damaged) {
    logger.warn({ file: join(documentsDir, PUBLISHED_FILE), reason: damaged }, "published set damaged; writing it again from the documents table");
    await documents.republish();
    return "republished";
  }
  if (publishedCount && !existsSync(join(documentsDir, PUBLISHED_FILE))) {
    logger.warn({ documents: publishedCount, documentsDir }, "published set missing; reading the kept originals again");
    await documents.reparse("system");
    return "reparsed";
  }
  return "kept";
}
