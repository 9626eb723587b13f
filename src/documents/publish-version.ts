import { sql } from "kysely";
import { isSqlite } from "../store/database.js";
import type { DocumentsDatabase } from "./document-types.js";
import { requireRead } from "./document-view.js";
import { DocumentsError } from "./documents-error.js";
import type { DocumentsTable } from "./documents-table.js";

/** A unique violation, as PostgreSQL (23505) and SQLite (SQLITE_CONSTRAINT_UNIQUE) report it. */
const isUniqueViolation = (error: unknown) => {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

/**
 * Makes `id` its family's one published version, in one transaction: the
 * family is locked first (an advisory lock on PostgreSQL, the database's
 * write lock on SQLite), so two instances publishing
 * two versions at once run one after the other and the second sees the
 * first. The unique index `policy_documents_one_published` holds the rule
 * even against a writer that skips the lock. Returns the record as it was
 * and the versions it replaced.
 */
export async function publishVersion(
  db: DocumentsDatabase,
  id: string,
  publishedAt: string,
): Promise<{ row: DocumentsTable; replaced: Array<{ id: string; version: number }> }> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (isSqlite(db)) {
        // A write first: the transaction takes SQLite's write lock now (waiting its busy timeout), not after a read, when two would deadlock.
        await trx.updateTable("policy_documents").set({ family_id: sql`family_id` }).where("id", "=", id).execute();
      } else {
        const first = await trx.selectFrom("policy_documents").select("family_id").where("id", "=", id).executeTakeFirst();
        if (first) await sql`SELECT pg_advisory_xact_lock(hashtext(${`policy_documents:${first.family_id}`}))`.execute(trx);
      }
      // Read again under the lock: what another instance did meanwhile counts.
      const row = await trx.selectFrom("policy_documents").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw new DocumentsError("DOCUMENT_NOT_FOUND", `no document ${id}`);
      if (row.state === "archived") throw new DocumentsError("DOCUMENT_CONFLICT", `${id} is an old version; upload it again to publish it`);
      requireRead(row, "publish");
      const live = await trx
        .selectFrom("policy_documents")
        .select(["id", "version"])
        .where("family_id", "=", row.family_id)
        .where("state", "=", "published")
        .where("id", "!=", id)
        .execute();
      const newer = live.find((other) => other.version > row.version);
      if (newer)
        throw new DocumentsError(
          "DOCUMENT_CONFLICT",
          `${id} is version ${row.version}, but version ${newer.version} (${newer.id}) is published; publishing it would put an older text back`,
        );
      await trx
        .updateTable("policy_documents")
        .set({ state: "archived" })
        .where("family_id", "=", row.family_id)
        .where("state", "=", "published")
        .where("id", "!=", id)
        .execute();
      const updated = await trx
        .updateTable("policy_documents")
        .set({ state: "published", published_at: publishedAt })
        .where("id", "=", id)
        .where("state", "in", ["preview", "published"])
        .executeTakeFirst();
      // Nothing is archived unless this one goes live: the rollback keeps the live version answering.
      if (Number(updated.numUpdatedRows) !== 1) throw new DocumentsError("DOCUMENT_CONFLICT", `${id} changed while it was being published; try again`);
      return { row, replaced: live };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DocumentsError("DOCUMENT_CONFLICT", `another version of ${id}'s document was published at the same moment; try again`, { cause: error });
    throw error;
  }
}
