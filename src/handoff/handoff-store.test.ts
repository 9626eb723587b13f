import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, type Store } from "../store/sqlite-store.js";
import { HandoffStore } from "./handoff-store.js";
import type { HandoffSchema } from "./tables.js";

const stores: Store[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function open(path: string) {
  const store = openSqliteStore(path);
  stores.push(store);
  await store.ready;
  let clock = "2026-11-27T02:00:00.000Z";
  const handoffs = new HandoffStore(store.db as unknown as Kysely<HandoffSchema>, () => clock);
  return { handoffs, setClock: (at: string) => (clock = at) };
}

const request = (conversationId: string) => ({ channel: "wechat-mp" as const, conversationId, replyAddress: {}, question: "转人工", transcript: [] });

describe("touch: the user wrote again", () => {
  it("renews the 48-hour window of the conversation's open hand-off, and of no other", async () => {
    const { handoffs, setClock } = await open(":memory:");
    const mine = await handoffs.create(request("c-1"));
    const other = await handoffs.create(request("c-2"));
    setClock("2026-11-28T09:00:00.000Z");
    await handoffs.touch("c-1");
    expect((await handoffs.get(mine.id))?.lastUserAt).toBe("2026-11-28T09:00:00.000Z");
    expect((await handoffs.get(other.id))?.lastUserAt).toBe("2026-11-27T02:00:00.000Z");
  });

  it("takes no write lock for a conversation without one, so it does not wait behind the turn writer thread's commit", async () => {
    const folder = mkdtempSync(join(tmpdir(), "relief-handoff-"));
    folders.push(folder);
    const { handoffs } = await open(`${folder}/store.sqlite`);
    const writer = new Database(`${folder}/store.sqlite`);
    writer.exec("BEGIN IMMEDIATE");
    try {
      // With the lock taken an UPDATE would wait the busy timeout and fail with SQLITE_BUSY.
      await expect(handoffs.touch("c-none")).resolves.toBeUndefined();
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
    }
  });
});
