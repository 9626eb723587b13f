import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import { missingServices, type PostgresServer, startPostgres } from "../../test/services.js";
import { openStore } from "../store/kysely-store.js";
import { QuestionLibrary } from "./question-library.js";
import { validateEntry } from "./validate-entry.js";

const missing = missingServices();

describe.skipIf(!!missing)("the question library on PostgreSQL (a real server)", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.destroy());

  it("two instances share it: a write on one is seen by the other at its next reload, imports upsert, hits are counted", async () => {
    const url = await server.createDatabase();
    const [storeA, storeB] = await Promise.all([openStore({ dialect: "postgres", url }), openStore({ dialect: "postgres", url })]);
    // A long poll, so the test drives the reloads itself.
    const [a, b] = await Promise.all([QuestionLibrary.open({ db: storeA.db, pollMs: 600_000 }), QuestionLibrary.open({ db: storeB.db, pollMs: 600_000 })]);
    try {
      const knowledgeBase = await seedKnowledgeBase();
      const measure = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
      const valid = validateEntry({ question: "饭店老被查怎么办？", measureIds: [measure.id] }, knowledgeBase);
      if (!valid.ok) throw new Error(valid.error);
      const created = await a.create(valid.value, "zhang");
      expect(created.ok).toBe(true);
      expect(b.match("饭店老被查怎么办")).toBeUndefined();
      await b.reload();
      expect(b.match("饭店老被查怎么办")?.measureIds).toEqual([measure.id]);

      const other = validateEntry({ question: "新问题", measureIds: [measure.id] }, knowledgeBase);
      if (!other.ok) throw new Error(other.error);
      expect(await b.importMany([valid.value, other.value], "li")).toEqual({ created: 1, updated: 1 });
      await a.reload();
      expect(
        a
          .all()
          .map((e) => e.question)
          .sort(),
      ).toEqual(["新问题", "饭店老被查怎么办？"]);
      // The hit is counted off the answer's path: polled, not waited for with a sleep.
      const hits = async () =>
        (
          (await storeA.db
            .selectFrom("library_entries" as never)
            .select("hit_count" as never)
            .where("question" as never, "=", "饭店老被查怎么办？" as never)
            .executeTakeFirstOrThrow()) as { hit_count: number }
        ).hit_count;
      await expect.poll(hits).toBe(1);
    } finally {
      a.close();
      b.close();
      await Promise.all([storeA.close(), storeB.close()]);
    }
  }, 60_000);
});
