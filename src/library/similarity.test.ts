import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NearDuplicateIndex } from "./near-duplicates.js";
import { NEAR_DUPLICATE, questionKey } from "./similarity.js";

const similarity = NearDuplicateIndex.similarity;

describe("near-duplicate threshold", () => {
  it("keeps rewordings of a question above it", () => {
    const rewordings: Array<[string, string]> = [
      ["饭店老被查怎么办？", "饭店老被查，怎么办呀"],
      ["饭店老被查怎么办？", "饭店老是被查怎么办"],
      ["饭店老被查怎么办？", "饭店老被檢查怎麼辦？"],
      ["公司刻章备案要多长时间？", "请问公司刻章备案需要多长时间"],
      ["我的企业能减免多少检测费？", "企业能减免多少检测费呢"],
      ["开办一家普通企业多长时间能办完？", "开办一家企业多长时间能办完"],
    ];
    for (const [a, b] of rewordings) expect(similarity(a, b), `${a} / ${b}`).toBeGreaterThanOrEqual(NEAR_DUPLICATE);
  });

  it("keeps the closest distinct questions of the shared dev sets below it", () => {
    const distinct: Array<[string, string]> = [
      ["克拉玛依政府性融资担保的单笔额度上限是多少？", "克拉玛依政府性融资担保单笔业务额度上限提高到多少？"],
      ["克拉玛依养老保险转移原来要多少个工作日？", "克拉玛依养老保险关系转移现在要办多少个工作日？"],
    ];
    for (const [a, b] of distinct) expect(similarity(a, b), `${a} / ${b}`).toBeLessThan(NEAR_DUPLICATE);
  });

  it("keeps every pair of distinct questions in the project's eval set below it", () => {
    const questions = readFileSync(new URL("../../eval/questions.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line).question as string);
    let closest = 0;
    for (let i = 0; i < questions.length; i++)
      for (let j = i + 1; j < questions.length; j++)
        if (questionKey(questions[i]) !== questionKey(questions[j])) closest = Math.max(closest, similarity(questions[i], questions[j]));
    expect(closest).toBeLessThan(NEAR_DUPLICATE);
  });
});
