import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, temporaryDirectory } from "../../test/helpers.js";
import { AppError } from "../errors.js";
import { buildCorpus, HUGE_SEED_BYTES, loadSeedFiles } from "./load-corpus.js";

function seedsWith(files: Record<string, string | Buffer>): string {
  const directory = join(temporaryDirectory(), "seeds");
  mkdirSync(directory);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  return directory;
}

describe("reading the seeds folder", () => {
  it("leaves out a file with NUL bytes or invalid UTF-8, naming it, and indexes the rest", () => {
    const directory = seedsWith({
      "scan.txt": Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]),
      "gbk.txt": Buffer.from([0xd5, 0xfe, 0xb2, 0xdf]) /* 政策 in GBK */,
    });
    copyFileSync(join(SEEDS_DIR, "000_1a5470b786594f12.txt"), join(directory, "policies.txt"));
    const corpus = buildCorpus(loadSeedFiles(directory));
    expect(corpus.warnings).toContainEqual(expect.stringMatching(/scan\.txt is not UTF-8 text \(it contains NUL bytes\)/));
    expect(corpus.warnings).toContainEqual(expect.stringMatching(/gbk\.txt is not UTF-8 text \(invalid UTF-8/));
    expect(corpus.documents.map((d) => d.sourceFile)).not.toContain("scan.txt");
    expect(corpus.measures.length).toBeGreaterThan(100);
  });

  it("refuses a folder with no text file at all", () => {
    const directory = seedsWith({ "scan.txt": Buffer.from([0xff, 0x00, 0xfe]) });
    expect(() => loadSeedFiles(directory)).toThrow(AppError);
    expect(() => loadSeedFiles(directory)).toThrow(/scan\.txt/);
  });

  it("parses a plain seed of 130,000 paragraphs (a 36 MB text) without overflowing the stack", () => {
    // Each line ends a sentence past 80 characters, so each is one paragraph: past ~120,000 a spread push() overflowed.
    const line =
      "本市对符合条件的小微企业给予一次性补助资金支持，具体标准按照有关规定执行，请企业及时向所在地主管部门提出申请办理，逾期不予受理，咨询电话以各区县主管部门公布的为准，特此说明。";
    const corpus = buildCorpus([{ name: "huge-plain.txt", text: Array.from({ length: 130_000 }, () => line).join("\n") }]);
    expect(corpus.measures).toHaveLength(130_000);
    expect(corpus.documents).toHaveLength(1);
  });

  it("warns about a file over 20 MB", () => {
    const directory = seedsWith({ "big.txt": "一".repeat(Math.ceil(HUGE_SEED_BYTES / 3) + 10), "small.txt": "通知" });
    // Read, not parsed here: the warning travels with the file into the corpus warnings.
    const warnings = loadSeedFiles(directory).map((file) => file.warning);
    expect(warnings).toEqual([expect.stringMatching(/big\.txt is 20 MB, more than 20 MB/), undefined]);
  });
});
