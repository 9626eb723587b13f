import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SEEDS_DIR, seedKnowledgeBase, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { loadConfig } from "../config.js";
import { runEval } from "./run-eval.js";

afterEach(() => vi.restoreAllMocks());

/** runEval's printed lines. */
async function evalLines(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void lines.push(parts.join(" ")));
  const config = loadConfig({
    DOCUMENTS_DIR: temporaryDirectory(),
    SEEDS_DIR,
    INDEX_DIR: `${temporaryDirectory()}/index`,
    AS_OF_DATE: TODAY,
    LOG_LEVEL: "silent",
  });
  await runEval(config, args);
  vi.restoreAllMocks();
  return lines;
}

describe("npm run eval -- --library FILE", () => {
  it("scores the questions with the library applied: a refused question the library teaches becomes a direct answer", async () => {
    const dir = temporaryDirectory();
    const set = `${dir}/set.jsonl`;
    writeFileSync(set, `${JSON.stringify({ id: "lib-1", question: "饭店老被查怎么办？", expect: "answer", gold: [["进一次门"]], facts: [] })}\n`);
    const measure = (await seedKnowledgeBase()).corpus.measures.find((m) => m.text.includes("进一次门"))!;
    const libraryFile = `${dir}/library.jsonl`;
    writeFileSync(libraryFile, `${JSON.stringify({ question: "饭店老被查怎么办？", measureIds: [measure.id] })}\n`);

    const without = await evalLines([set]);
    expect(without.join("\n")).toContain("score: 0/1 direct");
    const taught = await evalLines([set, "--library", libraryFile]);
    expect(taught.join("\n")).toContain("question library");
    expect(taught.join("\n"), taught.join("\n")).toContain("score: 1/1 direct");
    // The library file is not scored as a question set.
    expect(taught.filter((line) => line.includes("library.jsonl") && !line.includes("question library"))).toEqual([]);

    writeFileSync(libraryFile, `${JSON.stringify({ question: "坏的", measureIds: ["gone"] })}\n`);
    await expect(evalLines([set, "--library", libraryFile])).rejects.toThrow(/library\.jsonl line 1: measureIds\.0: no measure gone/);
  }, 120_000);
});
