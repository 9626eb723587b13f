import type { Runtime } from "../core/runtime.js";
import { type AuditSchema, auditMigrations } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import type { Store } from "../store/sqlite-store.js";
import { createDocumentsService, type DocumentsService } from "./documents-service.js";
import { type DocumentsSchema, documentsMigrations } from "./documents-table.js";
import { createPublisher } from "./publisher.js";

/** The documents service on the store's database, publishing into the runtime's knowledge base. */
export async function openDocumentsService(runtime: Runtime, store: Pick<Store, "db">): Promise<DocumentsService> {
  const { config, logger } = runtime;
  const db = await openStaffDatabase<DocumentsSchema & AuditSchema>(store.db, { ...auditMigrations, ...documentsMigrations });
  const publish = createPublisher({ target: runtime, indexDir: config.indexDir, documentsDir: config.documentsDir, logger });
  return createDocumentsService({ db, documentsDir: config.documentsDir, publish, logger });
}
