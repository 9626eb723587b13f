import Database from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "../../test/helpers.js";
import { openStaffDatabase } from "./database.js";

describe("staff database", () => {
  it("applies each feature's migrations once, in name order, and survives a reopen", async () => {
    const path = `${temporaryDirectory()}/staff.sqlite`;
    const applied: string[] = [];
    const migrations = {
      "demo-001-create": {
        up: async (db: Parameters<NonNullable<Parameters<typeof openStaffDatabase>[1][string]["up"]>>[0]) => {
          applied.push("create");
          await db.schema
            .createTable("demo")
            .addColumn("id", "text", (c) => c.primaryKey())
            .execute();
        },
      },
      "demo-002-row": {
        up: async (db: Parameters<NonNullable<Parameters<typeof openStaffDatabase>[1][string]["up"]>>[0]) => {
          applied.push("row");
          await sql`INSERT INTO demo (id) VALUES ('a')`.execute(db);
        },
      },
    };
    const first = await openStaffDatabase<{ demo: { id: string } }>(new Database(path), migrations);
    expect(await first.selectFrom("demo").selectAll().execute()).toEqual([{ id: "a" }]);
    await first.destroy();
    const again = await openStaffDatabase<{ demo: { id: string } }>(new Database(path), migrations);
    expect(applied).toEqual(["create", "row"]);
    await again.destroy();
  });

  it("names the migration that failed", async () => {
    const broken = { "demo-001-broken": { up: async () => Promise.reject(new Error("no such thing")) } };
    await expect(openStaffDatabase(new Database(":memory:"), broken)).rejects.toThrow(/demo-001-broken failed: no such thing/);
  });
});

describe("audit log", () => {
  it("records who did what to which thing, newest first", async () => {
    const { auditMigrations, auditTrail, recordAudit } = await import("./audit.js");
    const db = await openStaffDatabase<import("./audit.js").AuditSchema>(new Database(":memory:"), auditMigrations);
    let clock = 0;
    const now = () => new Date(Date.UTC(2026, 10, 27, 0, 0, clock++)).toISOString();
    await recordAudit(db, { actor: "zhang", action: "library.create", target: "entry-1", detail: { question: "问" } }, now);
    await recordAudit(db, { actor: "li", action: "library.delete", target: "entry-1" }, now);
    await recordAudit(db, { actor: "li", action: "library.create", target: "entry-2" }, now);
    const trail = await auditTrail(db, "entry-1");
    expect(trail.map((r) => [r.actor, r.action])).toEqual([
      ["li", "library.delete"],
      ["zhang", "library.create"],
    ]);
    expect(JSON.parse(trail[1].detail!)).toEqual({ question: "问" });
  });
});
