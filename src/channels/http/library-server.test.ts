import { afterAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, temporaryDirectory } from "../../../test/helpers.js";
import { type LibraryServer, startWithLibrary } from "../../../test/library-server.js";

const dir = temporaryDirectory();
const INDEX_DIR = `${dir}/index`;
const DATABASE_PATH = `${dir}/relief.sqlite`;
let server: LibraryServer | undefined;
afterAll(() => server?.running.close());

const post = (path: string, body: unknown, contentType = "application/json") =>
  fetch(server!.base + path, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("question library on a real server", () => {
  it("imports 10,000 entries at once while /healthz keeps answering, then answers from them", async () => {
    server = await startWithLibrary(DATABASE_PATH, INDEX_DIR);
    const measures = (await seedKnowledgeBase()).corpus.measures;
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ question: `第${i}号网点的企业问：刻章备案到底要跑几趟？`, measureIds: [measures[i % measures.length].id], note: `批量${i}` }),
    );
    const body = `${lines.join("\n")}\n`;
    let importing = true;
    const started = performance.now();
    const imported = post("/api/library/import", body, "application/x-ndjson").finally(() => {
      importing = false;
    });
    // Health checks in a row while the import runs: each must come back, and quickly.
    const healthLatencies: number[] = [];
    while (importing) {
      const t = performance.now();
      const health = await fetch(`${server.base}/healthz`);
      expect(health.status).toBe(200);
      healthLatencies.push(performance.now() - t);
    }
    const response = await imported;
    const seconds = (performance.now() - started) / 1000;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ created: 10_000, updated: 0 });
    console.log(
      `10,000 entries imported in ${seconds.toFixed(2)} s; ${healthLatencies.length} health checks meanwhile, slowest ${Math.max(...healthLatencies).toFixed(0)} ms`,
    );
    expect(healthLatencies.length).toBeGreaterThan(1);
    expect(Math.max(...healthLatencies)).toBeLessThan(1000);
    expect(seconds).toBeLessThan(60);

    const answer = await (await post("/api/ask", { question: "第4321号网点的企业问：刻章备案到底要跑几趟？" })).json();
    expect(answer.libraryEntryId).toBeDefined();
    expect(answer.citations[0].measureId).toBe(measures[4321 % measures.length].id);
    const list = await (await fetch(`${server.base}/api/library?q=${encodeURIComponent("第4321号")}`)).json();
    expect(list.entries[0]).toMatchObject({ hitCount: 1, note: "批量4321" });
  }, 120_000);

  it("keeps the library, its hit counts and history across a restart on the same file", async () => {
    const created = await (
      await post("/api/library", {
        question: "饭店老被查怎么办？",
        measureIds: [(await seedKnowledgeBase()).corpus.measures.find((m) => m.text.includes("进一次门"))!.id],
      })
    ).json();
    await server!.running.close();
    server = await startWithLibrary(DATABASE_PATH, INDEX_DIR);
    const entry = await (await fetch(`${server.base}/api/library/${created.id}`)).json();
    expect(entry).toMatchObject({ question: "饭店老被查怎么办？", createdBy: "loopback", hitCount: 0 });
    expect(entry.history.map((h: { action: string }) => h.action)).toEqual(["library.create"]);
    expect((await (await fetch(`${server.base}/api/library?q=${encodeURIComponent("第4321号")}`)).json()).entries[0].hitCount).toBe(1);
    const answer = await (await post("/api/ask", { question: "饭店老被查怎么办" })).json();
    expect(answer.libraryEntryId).toBe(created.id);
    expect((await (await fetch(`${server.base}/api/library`)).json()).total).toBe(10_001);
  }, 60_000);
});
