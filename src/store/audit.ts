import { type Kysely, sql } from "kysely";
import type { StaffMigrations } from "./database.js";

/** Who changed what and when, for every staff action (library entries, documents). */
export interface AuditTable {
  id: string;
  at: string;
  /** The staff member: the name of the token used, or "loopback". */
  actor: string;
  /** e.g. "library.create", "document.publish". */
  action: string;
  /** The id of what changed. */
  target: string;
  /** JSON with what changed, personal numbers already masked by the caller. */
  detail: string | null;
}

export interface AuditSchema {
  audit_log: AuditTable;
}

export const auditMigrations: StaffMigrations = {
  "audit-001-create": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_log")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("audit_log_target").on("audit_log").columns(["target", "at"]).execute();
    },
  },
};

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  detail?: unknown;
}

/** Records one staff action; `now` is injected so tests can fix the time. */
export async function recordAudit(db: Kysely<AuditSchema>, entry: AuditEntry, now = () => new Date().toISOString()): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      id: crypto.randomUUID(),
      at: now(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

/** The history of one thing, newest first. */
export async function auditTrail(db: Kysely<AuditSchema>, target: string) {
  return db.selectFrom("audit_log").selectAll().where("target", "=", target).orderBy(sql`at`, "desc").execute();
}
