import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isEnglishQuestion } from "./detect.js";

const questionsOf = (file: string): string[] =>
  readFileSync(new URL(`../../../eval/${file}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line).question as string);

describe("isEnglishQuestion", () => {
  it("reads questions written in English as English, a quoted Chinese term included", () => {
    expect(isEnglishQuestion("How long does the patent pledge review take?")).toBe(true);
    expect(isEnglishQuestion("What does 容缺受理 mean for our application?")).toBe(true);
    expect(isEnglishQuestion("Is there a fee cut for SMEs in Karamay?")).toBe(true);
  });

  it("keeps Chinese with a few Latin letters Chinese (APP, ETC, a hotline number)", () => {
    expect(isEnglishQuestion("新疆公安APP能办哪些业务？")).toBe(false);
    expect(isEnglishQuestion("ETC打折吗")).toBe(false);
    expect(isEnglishQuestion("交管12123App怎么申请货车电子通行证？")).toBe(false);
    expect(isEnglishQuestion("我们公司用的是ERP系统，OA办公，能不能对接政务服务APP？")).toBe(false);
    expect(isEnglishQuestion("12345")).toBe(false);
  });

  it("reads none of the project's Chinese questions as English", () => {
    const chinese = [...questionsOf("questions.jsonl"), ...questionsOf("heldout-style.jsonl")].filter((q) => /[\u3400-\u9fff]/.test(q));
    expect(chinese.length).toBeGreaterThan(20);
    expect(chinese.filter(isEnglishQuestion)).toEqual([]);
  });

  it("reads every held-out English question as English", () => {
    const english = questionsOf("heldout-english.jsonl");
    expect(english.every(isEnglishQuestion)).toBe(true);
  });
});
