import { describe, expect, it } from "vitest";
import { figures, normaliseFigures, verifyAnswer } from "./verify.js";

const clauses = new Map([
  [1, "自治区产品质量监督检验研究院对中小微企业减免30%-50%的检验检测费用，实施期限为2023年5月1日至2023年8月31日。"],
  [2, "刻章备案的办理时限压缩至1个工作日。"],
]);

describe("figure normalisation", () => {
  it("reads Chinese numerals, percentages and day words alike", () => {
    expect(normaliseFigures("百分之三十")).toBe("30%");
    expect(normaliseFigures("一个工作日")).toBe("1工作日");
    expect(normaliseFigures("三天")).toBe("3日");
    expect(figures("30%至50%")).toEqual(["30%", "50%"]);
    expect(figures("30%-50%")).toEqual(["30%", "50%"]);
  });
});

describe("answer verification", () => {
  it("passes figures that the cited clause states, however they are written", () => {
    const answer = "可减免百分之三十至50%的检验检测费用，实施期限至8月31日[1]。刻章备案一个工作日办结[2]。";
    expect(verifyAnswer({ answer, clauses, supplied: "" })).toEqual({ ok: true, problems: [] });
  });

  it("catches an invented percentage", () => {
    const result = verifyAnswer({ answer: "可减免80%的检验检测费用[1]。", clauses, supplied: "" });
    expect(result.ok).toBe(false);
    expect(result.problems.join()).toContain("80%");
  });

  it("catches a figure attributed to the wrong clause", () => {
    expect(verifyAnswer({ answer: "刻章备案减免30%[2]。", clauses, supplied: "" }).ok).toBe(false);
  });

  it("catches markers that name no given clause, and answers without any", () => {
    expect(verifyAnswer({ answer: "见条款[7]。", clauses, supplied: "" }).problems).toContain("引用了不存在的条款编号[7]");
    expect(verifyAnswer({ answer: "可以减免。", clauses, supplied: "" }).ok).toBe(false);
  });

  it("allows figures the code supplied, such as today's date", () => {
    const answer = "该措施已于2023年8月31日到期，今天是2026年11月27日[1]。";
    expect(verifyAnswer({ answer, clauses, supplied: "今天的日期：2026年11月27日" }).ok).toBe(true);
  });
});
