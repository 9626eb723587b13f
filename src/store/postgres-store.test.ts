import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingServices, type PostgresServer, startPostgres } from "../../test/services.js";
import { expectOldTurnsDerived, logContract, openAfterOldSchema } from "./__fixtures__/log-contract.js";
import { answer, storeContract } from "./__fixtures__/store-contract.js";
import { openStaffDatabase } from "./database.js";
import { openStore } from "./kysely-store.js";

const missing = missingServices();

describe.skipIf(!!missing)("PostgreSQL store (a real server)", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.destroy());

  storeContract(async (now) => openStore({ dialect: "postgres", url: await server.createDatabase() }, { now }));
  logContract(async (now) => openStore({ dialect: "postgres", url: await server.createDatabase() }, { now }));

  it("derives the outcome of turns stored before outcomes were kept, and counts them", async () => {
    await expectOldTurnsDerived(await openAfterOldSchema({ dialect: "postgres", url: await server.createDatabase() }));
  });

  it("migrates once when instances start together: the advisory lock makes them wait for each other", async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ dialect: "postgres", url, poolMax: 3 })));
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(stores[0].db);
    expect(applied.rows.map((r) => r.name)).toEqual([
      "store-001-create",
      "store-002-retention-client",
      "store-003-library-entry",
      "store-004-outcome",
      "store-005-handoffs",
    ]);
    // Feature tables (the library, documents) migrate on the same handle, beside the store's.
    const staff = await Promise.all(
      stores.map((store) =>
        openStaffDatabase<{ demo: { id: string } }>(store.db, {
          "demo-001-create": {
            up: async (db) =>
              void (await db.schema
                .createTable("demo")
                .addColumn("id", "text", (c) => c.primaryKey())
                .execute()),
          },
        }),
      ),
    );
    await staff[0].insertInto("demo").values({ id: "a" }).execute();
    expect(await staff[3].selectFrom("demo").selectAll().execute()).toEqual([{ id: "a" }]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it("rides out a server restart: an operation waits and retries, a write made before it is still there", async () => {
    const store = await openStore({ dialect: "postgres", url: await server.createDatabase() });
    const before = await store.recordTurn({ channel: "api", question: "重启前", answer: answer("答") });
    await server.restart();
    // The pool's connections died with the server; the next operation gets a fresh one.
    const after = await store.recordTurn({ conversationId: before.conversationId, channel: "api", question: "重启后", answer: answer("答") });
    expect(after.stored).toBe(true);
    expect((await store.history(before.conversationId)).map((t) => t.question)).toEqual(["重启前", "重启后"]);
    await store.close();
  });

  it("while the server is down: a write is reported not stored, a rating is a StoreUnavailableError, health says unreachable", async () => {
    const store = await openStore({ dialect: "postgres", url: await server.createDatabase() }, { retry: { attempts: 2, firstDelayMs: 10 } });
    const kept = await store.recordTurn({ channel: "api", question: "问", answer: answer("答") });
    await server.stop();
    try {
      expect((await store.recordTurn({ channel: "api", question: "问", answer: answer("答") })).stored).toBe(false);
      await expect(store.rate({ answerId: kept.answerId, rating: "down", client: "a" })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      expect(await store.history(kept.conversationId)).toEqual([]);
      expect(await store.health()).toMatchObject({ writeFailures: 1, readFailures: 1, degraded: true, database: { dialect: "postgres", reachable: false } });
    } finally {
      await server.start();
    }
    expect(await store.rate({ answerId: kept.answerId, rating: "down", client: "a" })).toBe("stored");
    expect((await store.health()).database.reachable).toBe(true);
    await store.close();
  });

  it("names DATABASE_URL, without the password, when the server cannot be reached at start", async () => {
    const url = `postgres://someone:secret@127.0.0.1:${server.port + 1}/nothing`;
    await expect(openStore({ dialect: "postgres", url, timeoutMs: 500 }, { startupWaitMs: 300 })).rejects.toThrow(/someone:\*\*\*@.*DATABASE_URL/);
  });
});
