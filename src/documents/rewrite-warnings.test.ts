import { describe, expect, it } from "vitest";
import type { Measure } from "../types.js";
import { rewriteWarnings } from "./rewrite-warnings.js";
import { diffVersions } from "./version-diff.js";

const clauses = (...texts: string[]) => texts.map((text, i) => ({ id: `m${i}`, text, path: [`第${i + 1}条`] }) as unknown as Measure);

const BEFORE = clauses("首次贷款贴息比例为50%。", "每户每年贴息最高8万元。", "申请材料由市财政局受理。", "本办法自发布之日起施行。");

describe("a new version's warnings beyond the diff", () => {
  it("a version that rewrites most clauses is flagged, in Chinese, with the counts", () => {
    const after = clauses("贷款贴息比例调整为30%。", "每户每年贴息最高10万元。", "申请材料由区商务局受理。", "本办法自发布之日起施行。");
    const diff = diffVersions(BEFORE, after, 1, 2);
    expect(rewriteWarnings(diff, BEFORE, after)).toEqual([
      "与第1版相比，4条条款中有3条被改写、新增或删除，超过一半：请确认这确是同一文件的新版本，并逐条核对后再发布。",
    ]);
  });

  it("promise words the published version never used are named, however few clauses changed", () => {
    const after = clauses("首次贷款贴息比例为50%。", "每户每年贴息最高8万元，终身有效。", "申请材料由市财政局受理。", "本办法自发布之日起施行。");
    const warnings = rewriteWarnings(diffVersions(BEFORE, after, 1, 2), BEFORE, after);
    expect(warnings).toEqual(["新版本出现了第1版没有的承诺用语：“终身”；请核对原文确实如此后再发布。"]);
  });

  it("an ordinary amendment (one figure changed) raises nothing beyond the diff", () => {
    const after = clauses("首次贷款贴息比例为50%。", "每户每年贴息最高10万元。", "申请材料由市财政局受理。", "本办法自发布之日起施行。");
    expect(rewriteWarnings(diffVersions(BEFORE, after, 1, 2), BEFORE, after)).toEqual([]);
  });
});
