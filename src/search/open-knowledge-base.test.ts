import { copyFileSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, temporaryDirectory } from "../../test/helpers.js";
import { openKnowledgeBase } from "./open-knowledge-base.js";

describe("the saved parse", () => {
  it("is reused only while the seeds are unchanged: an edited seed is parsed again", async () => {
    const seeds = temporaryDirectory();
    const indexDir = temporaryDirectory();
    const seed = join(seeds, "policies.txt");
    copyFileSync(join(SEEDS_DIR, "000_1a5470b786594f12.txt"), seed);
    const first = await openKnowledgeBase({ seedsDir: seeds, indexDir, logger: silentLogger });
    expect(first.corpus.measures.some((m) => m.text.includes("减免30%的检验检测费，"))).toBe(true);

    writeFileSync(seed, readFileSync(seed, "utf8").replace("送检的仪器设备减免30%的检验检测费", "送检的仪器设备减免35%的检验检测费"));
    // Same size, a later time: the key must still change.
    utimesSync(seed, new Date(), new Date(Date.now() + 60_000));
    const second = await openKnowledgeBase({ seedsDir: seeds, indexDir, logger: silentLogger });
    const changed = second.corpus.measures.find((m) => m.text.includes("计量测试研究院"))!;
    expect(changed.text).toContain("减免35%");
    const hits = await second.retriever.search({ text: "计量测试研究院 减免35%", regions: [] });
    expect(hits[0].measureId).toBe(changed.id);
  });
});
