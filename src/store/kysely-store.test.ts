import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { answer, storeContract } from "./__fixtures__/store-contract.js";
import { openSqliteStore } from "./kysely-store.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A folder of the test's own, removed after it. */
function temporaryDirectory(): string {
  const made = mkdtempSync(join(tmpdir(), "relief-store-"));
  folders.push(made);
  return made;
}

describe("SQLite store", () => {
  storeContract(async (now) => openSqliteStore(":memory:", undefined, now));

  describe("on a file, its turns committed by the turn writer thread", () => {
    storeContract(async (now) => openSqliteStore(`${temporaryDirectory()}/store.sqlite`, undefined, now));
  });

  it("survives a reopen: its migrations run once", async () => {
    const path = `${temporaryDirectory()}/store.sqlite`;
    const store = openSqliteStore(path);
    const first = await store.recordTurn({ channel: "web", question: "问一", answer: answer("答一") });
    await store.close();
    const reopened = openSqliteStore(path);
    await reopened.recordTurn({ conversationId: first.conversationId, channel: "web", question: "问二", answer: answer("答二") });
    expect((await reopened.history(first.conversationId)).map((t) => t.question)).toEqual(["问一", "问二"]);
    await reopened.close();
  });

  it("keeps a file the first store (user_version migrations) wrote: its rows, and its migrations counted as applied", async () => {
    const path = `${temporaryDirectory()}/legacy.sqlite`;
    const legacy = new Database(path);
    // The schema and data as the hand-written migrations left them (user_version 2).
    legacy.exec(`CREATE TABLE conversations (id TEXT PRIMARY KEY, channel TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE turns (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id), channel TEXT NOT NULL,
        question TEXT NOT NULL, resolved_question TEXT, answer TEXT NOT NULL, refused INTEGER NOT NULL, mode TEXT NOT NULL,
        citations TEXT NOT NULL, prompt_version TEXT, created_at TEXT NOT NULL);
      CREATE INDEX turns_conversation ON turns(conversation_id, created_at);
      CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, turn_id TEXT NOT NULL REFERENCES turns(id), rating TEXT NOT NULL, comment TEXT, created_at TEXT NOT NULL);
      CREATE INDEX feedback_turn ON feedback(turn_id);
      CREATE INDEX turns_created ON turns(created_at);
      ALTER TABLE feedback ADD COLUMN client TEXT;
      CREATE UNIQUE INDEX feedback_turn_client ON feedback(turn_id, client);
      INSERT INTO conversations VALUES ('c1', 'web', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      INSERT INTO turns VALUES ('t1', 'c1', 'web', '旧问题', NULL, '旧答案', 1, 'refusal', '[]', NULL, '2026-01-01T00:00:00.000Z');
      PRAGMA user_version = 2;`);
    legacy.close();
    const store = openSqliteStore(path);
    expect((await store.history("c1")).map((t) => t.question)).toEqual(["旧问题"]);
    expect(await store.rate({ answerId: "t1", rating: "down", client: "a" })).toBe("stored");
    expect(await store.rate({ answerId: "t1", rating: "down", client: "a" })).toBe("already-rated");
    const applied = store.sqlite!.prepare("SELECT name FROM kysely_migration ORDER BY name").pluck().all();
    expect(applied).toEqual(["store-001-create", "store-002-retention-client", "store-003-library-entry", "store-004-outcome", "store-005-handoffs"]);
    await store.close();
  });

  it("says a failed write was not stored, logs it, counts it and reports itself degraded", async () => {
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args), warn: () => undefined } as never;
    const store = openSqliteStore(":memory:", logger);
    expect(await store.health()).toMatchObject({ writeFailures: 0, degraded: false });
    await store.close();
    const recorded = await store.recordTurn({ channel: "api", question: "问", answer: answer("答") });
    expect(recorded.stored).toBe(false);
    expect(errors).toHaveLength(1);
    expect(await store.health()).toMatchObject({ writeFailures: 1, degraded: true, database: { reachable: false } });
  });

  it("stores a question's personal numbers masked, in whatever digits they were written", async () => {
    const store = openSqliteStore(":memory:");
    await store.ready;
    const written = [
      "我的手机号是１３８１２３４５６７８", // full-width
      "电话138\u200b1234\u200b5678", // split by zero-width spaces
      "身份证号六五零一零二一九九零零三零七一二三X", // Han digits
    ];
    for (const question of written) await store.recordTurn({ channel: "web", question, answer: answer("答") });
    const stored = store.sqlite!.prepare("SELECT question FROM turns ORDER BY rowid").all() as Array<{ question: string }>;
    expect(stored.map((row) => row.question)).toEqual(["我的手机号是[手机号]", "电话[手机号]", "身份证号[身份证号]"]);
    await store.close();
  });

  it("names the path when the database cannot be opened", () => {
    const file = `${temporaryDirectory()}/not-a-folder`;
    writeFileSync(file, "");
    expect(() => openSqliteStore(`${file}/db.sqlite`)).toThrow(/not-a-folder\/db\.sqlite.*DATABASE_PATH/);
  });
});
