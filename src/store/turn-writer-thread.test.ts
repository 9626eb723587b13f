import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { answer } from "./__fixtures__/store-contract.js";
import { openSqliteStore } from "./kysely-store.js";
import type { TurnTable } from "./schema.js";
import { turnWriterThread } from "./turn-writer-thread.js";

const AT = "2026-11-27T08:00:00.000Z";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A folder of the test's own, removed after it. */
function folder(): string {
  const made = mkdtempSync(join(tmpdir(), "relief-turn-writer-"));
  folders.push(made);
  return made;
}

const row = (id: string, question: string): TurnTable => ({
  id,
  conversation_id: `c-${id}`,
  channel: "api",
  question,
  resolved_question: null,
  answer: "答",
  refused: 0,
  mode: "extractive",
  citations: "[]",
  prompt_version: null,
  library_entry_id: null,
  outcome: "answered",
  refusal_reason: null,
  confidence: "answer",
  created_at: AT,
});

/** The questions stored in the file at `path`, read on a connection of the test's own. */
function storedQuestions(path: string): string[] {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.prepare("SELECT question FROM turns ORDER BY rowid").pluck().all() as string[];
  } finally {
    reader.close();
  }
}

/** A migrated store file with no turns, for a writer thread of the test's own. */
async function migratedFile(): Promise<string> {
  const path = `${folder()}/store.sqlite`;
  const store = openSqliteStore(path);
  await store.ready;
  await store.close();
  return path;
}

/** How many files this process holds open on `path`: each SQLite connection to it holds one (Linux's /proc). */
function connectionsTo(path: string): number {
  const fds = "/proc/self/fd";
  return readdirSync(fds).filter((fd) => {
    try {
      return readlinkSync(`${fds}/${fd}`) === path;
    } catch {
      return false; // closed since it was listed
    }
  }).length;
}

/** The rows this connection itself changed: a turn committed by the writer thread adds none. */
const ownChanges = (sqlite: Database.Database) => sqlite.prepare("SELECT total_changes()").pluck().get() as number;

describe("the turn writer thread of a SQLite file", () => {
  it("commits turns arriving together on its own connection; each is in history and in the tallies when its recordTurn resolves", async () => {
    const store = openSqliteStore(`${folder()}/store.sqlite`, undefined, () => AT);
    await store.ready;
    const before = ownChanges(store.sqlite!);
    const conversations = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await store.recordTurn({ channel: "web", question: `会话${i}`, answer: answer("答") })).conversationId),
    );
    const seen = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const conversationId = conversations[i % 10];
        const recorded = await store.recordTurn({ conversationId, channel: "api", question: `问${i}`, answer: answer("答") });
        const questions = (await store.history(conversationId, 100)).map((t) => t.question);
        return recorded.stored && questions.includes(`问${i}`);
      }),
    );
    expect(seen.every(Boolean)).toBe(true);
    expect(ownChanges(store.sqlite!)).toBe(before);
    const counted = store.sqlite!.prepare("SELECT SUM(questions) FROM turn_stats WHERE day = '2026-11-27'").pluck().get();
    expect(counted).toBe(210);
    expect((await store.history(conversations[3], 100)).map((t) => t.question)).toEqual(["会话3", ...Array.from({ length: 20 }, (_, k) => `问${3 + 10 * k}`)]);
    await store.close();
  });

  it.skipIf(!existsSync("/proc/self/fd"))("starts its thread once the store is migrated, so the first turn does not wait for it to load", async () => {
    const path = `${realpathSync(folder())}/store.sqlite`;
    const store = openSqliteStore(path);
    await store.ready;
    expect(connectionsTo(path)).toBeGreaterThanOrEqual(1);
    // The store's connection, then the thread's: before any turn is recorded.
    await expect.poll(() => connectionsTo(path), { timeout: 20_000, interval: 50 }).toBe(2);
    await store.close();
    expect(connectionsTo(path)).toBe(0);
  });

  it("a commit meeting another connection's write waits for it to end (the busy timeout) instead of failing", async () => {
    const path = `${folder()}/store.sqlite`;
    const store = openSqliteStore(path);
    // The thread is running before the lock is taken, so its commit meets the lock rather than starting after it.
    await store.recordTurn({ channel: "web", question: "先", answer: answer("答") });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    other.prepare("INSERT INTO conversations (id, channel, created_at, updated_at) VALUES ('other', 'web', ?, ?)").run(AT, AT);
    const recording = store.recordTurn({ channel: "web", question: "等锁", answer: answer("答") });
    // Released later, by a clock: nothing else tells the test that the thread is waiting. Released too early, the
    // test proves less; it cannot pass with a writer that fails at the lock (its turn is then not stored).
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec("COMMIT");
        other.close();
        resolve();
      }, 300),
    );
    const recorded = await recording;
    await released;
    expect(recorded.stored).toBe(true);
    expect((await store.history(recorded.conversationId)).map((t) => t.question)).toEqual(["等锁"]);
    await store.close();
  });

  it("counts a failed write, reports it not stored, and stores the next once the table takes writes again", async () => {
    const logged: Array<{ err: { code?: string } }> = [];
    const logger = { error: (fields: { err: { code?: string } }) => logged.push(fields), warn: () => undefined } as never;
    const store = openSqliteStore(`${folder()}/store.sqlite`, logger);
    await store.ready;
    expect((await store.recordTurn({ channel: "web", question: "问一", answer: answer("答") })).stored).toBe(true);
    store.sqlite!.exec("CREATE TRIGGER turns_closed BEFORE INSERT ON turns BEGIN SELECT RAISE(ABORT, 'turns are closed'); END");
    const failed = await Promise.all([1, 2, 3].map((i) => store.recordTurn({ channel: "web", question: `失败${i}`, answer: answer("答") })));
    expect(failed.map((r) => r.stored)).toEqual([false, false, false]);
    expect(await store.health()).toMatchObject({ writeFailures: 3, degraded: true, lastWriteError: "turns are closed" });
    expect(logged[0].err.code).toBe("SQLITE_CONSTRAINT_TRIGGER");
    store.sqlite!.exec("DROP TRIGGER turns_closed");
    const after = await store.recordTurn({ channel: "web", question: "问二", answer: answer("答") });
    expect(after.stored).toBe(true);
    expect(await store.health()).toMatchObject({ writeFailures: 3, degraded: false });
    expect((await store.history(after.conversationId)).map((t) => t.question)).toEqual(["问二"]);
    await store.close();
  });

  it("close() waits for the writes still queued: none is lost", async () => {
    const path = `${folder()}/store.sqlite`;
    const store = openSqliteStore(path);
    await store.ready;
    const pending = Array.from({ length: 300 }, (_, i) => store.recordTurn({ channel: "api", question: `问${i}`, answer: answer("答") }));
    await store.close();
    expect((await Promise.all(pending)).every((r) => r.stored)).toBe(true);
    expect(storedQuestions(path)).toHaveLength(300);
    expect((await store.recordTurn({ channel: "api", question: "关闭后", answer: answer("答") })).stored).toBe(false);
  });

  it("its own close() lets the batches already sent commit before the thread ends", async () => {
    const path = await migratedFile();
    const writer = turnWriterThread(path);
    const sent = [writer.commit([row("t1", "问一")]), writer.commit([row("t2", "问二"), row("t3", "问三")])];
    await writer.close();
    await Promise.all(sent);
    expect(storedQuestions(path)).toEqual(["问一", "问二", "问三"]);
    await expect(writer.commit([row("t4", "关闭后")])).rejects.toThrow(/closed/);
  });

  it("fails every batch waiting on a thread that dies, and starts another for the next", async () => {
    const path = await migratedFile();
    const writer = turnWriterThread(path, { script: new URL("./__fixtures__/crashing-turn-writer.mjs", import.meta.url) });
    await writer.commit([row("t1", "问一")]);
    const crashing = writer.commit([row("t2", "崩溃"), row("t3", "同批")]);
    const behind = writer.commit([row("t4", "其后")]);
    await expect(crashing).rejects.toThrow(/turn writer thread stopped \(exit code 1\)/);
    await expect(behind).rejects.toThrow(/turn writer thread stopped \(exit code 1\)/);
    await writer.commit([row("t5", "问五")]);
    expect(storedQuestions(path)).toEqual(["问一", "问五"]);
    await writer.close();
  });

  it("fails, rather than waits, when its thread cannot open the file", async () => {
    const file = `${folder()}/not-a-folder`;
    writeFileSync(file, "");
    const writer = turnWriterThread(`${file}/store.sqlite`);
    await expect(writer.commit([row("t1", "问")])).rejects.toThrow(/turn writer thread stopped .*not-a-folder/);
    await writer.close();
  });

  /** Runs `body` after opening a file store in a program of its own, as the Dockerfile runs the bot (node with tsx). */
  async function runProgram(path: string, body: string) {
    const program = `${path}.program.mjs`;
    writeFileSync(
      program,
      `const { openSqliteStore } = await import(${JSON.stringify(new URL("./kysely-store.ts", import.meta.url).href)});
      const store = openSqliteStore(${JSON.stringify(path)});
      ${body}`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", program], {
      cwd: new URL("../..", import.meta.url).pathname,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    // A bound on waiting for the exit, not a wait for something not to happen: a program held open is stopped here.
    const stop = setTimeout(() => child.kill(), 20_000);
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    clearTimeout(stop);
    return { exit, output };
  }

  it("does not keep the process alive once idle: a program that stores a turn and never closes its store exits", async () => {
    const path = `${folder()}/store.sqlite`;
    const ran = await runProgram(
      path,
      `const recorded = await store.recordTurn({ channel: "api", question: "问", answer: ${JSON.stringify(answer("答"))} });
      process.stdout.write(String(recorded.stored));`,
    );
    expect(ran).toEqual({ exit: { code: 0, signal: null }, output: "true" });
    expect(storedQuestions(path)).toEqual(["问"]);
  });

  it("does not keep the process alive while it loads: a program that opens a store and stores nothing exits", async () => {
    const ran = await runProgram(`${folder()}/store.sqlite`, `await store.ready; process.stdout.write("ready");`);
    expect(ran).toEqual({ exit: { code: 0, signal: null }, output: "ready" });
  });
});
