import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, seedKnowledgeBase, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { loadConfig } from "../config.js";
import { openKnowledgeBase } from "../search/open-knowledge-base.js";
import { createAsk, type LibraryLookup } from "./ask.js";
import { createRuntime } from "./runtime.js";

const PLAIN_POLICY = "关于支持养蜂合作社发展的通知\n对养蜂专业合作社新建标准化蜂场的，每个蜂场给予2万元一次性补助。\n";

describe("publishing a knowledge base while the bot runs", () => {
  it("answers from the new knowledge base after a swap, without a restart", async () => {
    const config = loadConfig({ DOCUMENTS_DIR: temporaryDirectory(), SEEDS_DIR, INDEX_DIR: temporaryDirectory(), AS_OF_DATE: TODAY, LOG_LEVEL: "silent" });
    const runtime = await createRuntime(config, silentLogger);
    const before = await runtime.ask("养蜂合作社新建蜂场有补助吗？");
    expect(before.citations.some((c) => c.text.includes("蜂场"))).toBe(false);

    const seeds = temporaryDirectory();
    mkdirSync(seeds, { recursive: true });
    copyFileSync(join(SEEDS_DIR, "000_1a5470b786594f12.txt"), join(seeds, "000.txt"));
    writeFileSync(join(seeds, "bees.txt"), PLAIN_POLICY);
    const next = await openKnowledgeBase({ seedsDir: seeds, indexDir: temporaryDirectory(), logger: silentLogger });
    runtime.swapKnowledgeBase(next);

    expect(runtime.knowledgeBase).toBe(next);
    const after = await runtime.ask("养蜂合作社新建蜂场有补助吗？");
    expect(after.refused).toBe(false);
    expect(after.citations[0].text).toContain("蜂场");
    expect(after.text).toContain("2万元");
  });
});

describe("the question library's fast path", () => {
  const lookup = (
    entries: Record<string, Parameters<LibraryLookup["match"]>[0] extends string ? Omit<NonNullable<ReturnType<LibraryLookup["match"]>>, "entryId"> : never>,
  ): LibraryLookup => ({
    match: (question) => {
      const entry = entries[question];
      return entry ? { entryId: `entry-${question.length}`, ...entry } : undefined;
    },
  });

  it("answers a taught question from the clauses staff linked, and says which entry it came from", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const measure = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
    const ask = createAsk({ knowledgeBase, today: () => TODAY, library: lookup({ "饭店老被查怎么办？": { measureIds: [measure.id] } }) });
    const answer = await ask("饭店老被查怎么办？");
    expect(answer.libraryEntryId).toBeDefined();
    expect(answer.citations[0].measureId).toBe(measure.id);
    expect(answer.citations[0].text).toContain("进一次门");
    expect(answer.confidence).toBe("answer");
    const untaught = await ask("克拉玛依失业金能网上领吗？");
    expect(untaught.libraryEntryId).toBeUndefined();
  });

  it("refuses a question staff marked out of scope, with that refusal's message", async () => {
    const ask = createAsk({
      knowledgeBase: await seedKnowledgeBase(),
      today: () => TODAY,
      library: lookup({ "怎么查我的社保缴费记录？": { measureIds: [], refusal: "personal-matter" } }),
    });
    const answer = await ask("怎么查我的社保缴费记录？");
    expect(answer.refused).toBe(true);
    expect(answer.refusal?.reason).toBe("personal-matter");
  });

  it("never answers silently from a linked clause that no longer exists", async () => {
    const ask = createAsk({ knowledgeBase: await seedKnowledgeBase(), today: () => TODAY, library: lookup({ 老问题: { measureIds: ["gone-1"] } }) });
    const answer = await ask("老问题");
    expect(answer.refused).toBe(true);
    expect(answer.citations).toEqual([]);
  });

  it("uses a reviewed answer as the body, with the linked clauses cited", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const measure = knowledgeBase.corpus.measures.find((m) => m.text.includes("12348"))!;
    const ask = createAsk({
      knowledgeBase,
      today: () => TODAY,
      library: lookup({ "免费法律咨询电话？": { measureIds: [measure.id], answer: "可以拨打12348公共法律服务热线[1]。" } }),
    });
    const answer = await ask("免费法律咨询电话？");
    expect(answer.body).toBe("可以拨打12348公共法律服务热线[1]。");
    expect(answer.citations[0].measureId).toBe(measure.id);
  });
});
