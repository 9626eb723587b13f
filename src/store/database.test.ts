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
