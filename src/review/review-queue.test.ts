import { beforeAll, describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { seedKnowledgeBase } from "../../test/helpers.js";
import { refusalText } from "../answer/refusal.js";
import { QuestionLibrary } from "../library/question-library.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { ReviewQueue } from "./review-queue.js";

let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

const refusal = () => fakeAnswer({ text: refusalText("no-match"), body: refusalText("no-match"), refused: true, confidence: "refuse", mode: "refusal" });

/** A store whose clock the test sets, a library on it, and a queue reading it at `today`. */
async function setUp(options: { days?: number; maxTurns?: number } = {}) {
  let at = "2026-11-01T08:00:00.000Z";
  const store = openSqliteStore(":memory:", undefined, () => at);
  await store.ready;
  const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  const queue = new ReviewQueue({ store, library, knowledgeBase: () => knowledgeBase, now: () => Date.parse("2026-11-27T12:00:00.000Z"), ...options });
  const record = async (question: string, when: string, answer = refusal()) => {
    at = when;
    return store.recordTurn({ channel: "web", question, answer });
  };
  return { store, queue, record };
}

describe("the review queue's bounds and reasons", () => {
  it("reads only the last `days` days and at most `maxTurns` answers, newest first", async () => {
    const { queue, record } = await setUp({ days: 7, maxTurns: 2 });
    await record("稳岗补贴还能领吗", "2026-11-01T08:00:00.000Z");
    await record("稳岗补贴今年还能领吗", "2026-11-25T08:00:00.000Z");
    await record("稳岗补贴还有吗", "2026-11-26T08:00:00.000Z");
    await record("稳岗补贴现在还能领吗", "2026-11-27T08:00:00.000Z");
    const [cluster] = await queue.clusters();
    expect(cluster.size).toBe(2);
    expect(cluster.examples.sort()).toEqual(["稳岗补贴现在还能领吗", "稳岗补贴还有吗"]);
    expect([cluster.firstSeen, cluster.lastSeen]).toEqual(["2026-11-26T08:00:00.000Z", "2026-11-27T08:00:00.000Z"]);
  });

  it("counts one question asked twice once among the examples, twice in the size; a rating down joins it with its comment", async () => {
    const { store, queue, record } = await setUp();
    await record("稳岗补贴还能领吗", "2026-11-26T08:00:00.000Z");
    await record("稳岗补贴还能领吗", "2026-11-26T09:00:00.000Z");
    const fine = await record("个体工商户歇业备案最长能保留多久", "2026-11-26T10:00:00.000Z", fakeAnswer({ citations: [] }));
    expect(await store.rate({ answerId: fine.answerId, rating: "down", comment: "答非所问" })).toBe("stored");
    const clusters = await queue.clusters();
    const refused = clusters.find((c) => c.examples.includes("稳岗补贴还能领吗"))!;
    expect([refused.size, refused.examples]).toEqual([2, ["稳岗补贴还能领吗"]]);
    expect(refused.reasons).toEqual([{ kind: "refused", count: 2 }]);
    const rated = clusters.find((c) => c.examples.includes("个体工商户歇业备案最长能保留多久"))!;
    expect(rated.reasons).toEqual([{ kind: "rated-down", count: 1, comments: ["答非所问"] }]);
  });

  it("an empty store has an empty queue", async () => {
    const { queue } = await setUp();
    expect(await queue.clusters()).toEqual([]);
  });
});
