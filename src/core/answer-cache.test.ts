import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, seedKnowledgeBase, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import type { Ask } from "../answer/seams.js";
import { loadConfig } from "../config.js";
import { QuestionLibrary } from "../library/question-library.js";
import { validateEntry } from "../library/validate-entry.js";
import type { Answer } from "../types.js";
import { withAnswerCache } from "./answer-cache.js";
import { createAsk } from "./ask.js";
import { createRuntime } from "./runtime.js";

const QUESTION = "检验检测费用能减免多少？";

/** The real answering on the seed, counting how often it is reached through the cache. */
async function countedAsk(today = () => TODAY) {
  const inner = createAsk({ knowledgeBase: await seedKnowledgeBase(), today });
  const counted = { calls: 0 };
  const ask: Ask = (question, history, options) => {
    counted.calls++;
    return inner(question, history, options);
  };
  return { ask, counted };
}

describe("the answer cache", () => {
  it("answers a question asked again from memory, the same answer, and asks afresh within a conversation", async () => {
    const { ask, counted } = await countedAsk();
    const cached = withAnswerCache(ask, { capacity: 10, generation: () => ["one"] });
    const first = await cached(QUESTION);
    expect(first.citations.length).toBeGreaterThan(0);
    expect(await cached(` ${QUESTION} `)).toBe(first);
    expect(counted.calls).toBe(1);

    const history = [{ question: "哈密市有哪些减税降费的政策？", answer: first.text }];
    await cached(QUESTION, history);
    await cached(QUESTION, history);
    expect(counted.calls).toBe(3);
  });

  it("shares one answering between askers of the same question at once", async () => {
    const { ask, counted } = await countedAsk();
    const cached = withAnswerCache(ask, { capacity: 10, generation: () => [] });
    const answers = await Promise.all([cached(QUESTION), cached(QUESTION), cached(QUESTION)]);
    expect(new Set(answers).size).toBe(1);
    expect(counted.calls).toBe(1);
  });

  it("forgets everything when the generation changes, and forgets the least recently asked beyond its capacity", async () => {
    let day = TODAY;
    const { ask, counted } = await countedAsk(() => day);
    const cached = withAnswerCache(ask, { capacity: 2, generation: () => [day] });
    await cached(QUESTION);
    day = "2026-11-28";
    await cached(QUESTION);
    expect(counted.calls).toBe(2);

    await cached("个体工商户有什么优惠？");
    await cached(QUESTION);
    await cached("创业担保贷款额度是多少？");
    expect(counted.calls).toBe(4);
    await cached("个体工商户有什么优惠？");
    expect(counted.calls).toBe(5);
  });

  it("does not remember a failure, and is off at capacity 0", async () => {
    let fail = true;
    const answer = { text: "好" } as Answer;
    let calls = 0;
    const flaky: Ask = async () => {
      calls++;
      if (fail) throw new Error("down");
      return answer;
    };
    const cached = withAnswerCache(flaky, { capacity: 10, generation: () => [] });
    await expect(cached(QUESTION)).rejects.toThrow("down");
    fail = false;
    expect(await cached(QUESTION)).toBe(answer);
    expect(calls).toBe(2);

    const off = withAnswerCache(flaky, { capacity: 0, generation: () => [] });
    await off(QUESTION);
    await off(QUESTION);
    expect(calls).toBe(4);
  });

  it("in the runtime: a question taught to the library after it was answered is answered from the library, each time counted", async () => {
    const config = loadConfig({ SEEDS_DIR, INDEX_DIR: temporaryDirectory(), DOCUMENTS_DIR: temporaryDirectory(), AS_OF_DATE: TODAY, LOG_LEVEL: "silent" });
    const library = await QuestionLibrary.open({ sqlite: new Database(":memory:") });
    const runtime = await createRuntime(config, silentLogger, { library });
    const question = "饭店老被查怎么办？";
    const measure = runtime.knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
    expect((await runtime.ask(question)).libraryEntryId).toBeUndefined();

    const valid = validateEntry({ question, measureIds: [measure.id] }, runtime.knowledgeBase);
    if (!valid.ok) throw new Error(valid.error);
    const created = await library.create(valid.value, "zhang");
    if (!created.ok) throw new Error(created.reason);
    expect((await runtime.ask(question)).libraryEntryId).toBe(created.entry.id);
    expect((await runtime.ask(question)).citations[0].measureId).toBe(measure.id);
    expect(library.get(created.entry.id)?.hitCount).toBe(2);
  });
});
