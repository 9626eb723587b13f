import { describe, expect, it } from "vitest";
import { findPeriod, parseDeadline } from "./dates.js";

describe("periods and deadlines read from a clause", () => {
  it("reads a period with both ends", () => {
    expect(findPeriod("减免30%的检验检测费，实施期限为2023 年5 月1 日至2023 年8 月31 日。")).toMatchObject({ from: "2023-05-01", to: "2023-08-31" });
  });

  it("reads a period that gives only its end", () => {
    expect(findPeriod("本措施有效期至2025年12月31日。")).toEqual({ to: "2025-12-31", text: "有效期至2025年12月31日" });
    expect(findPeriod("政策执行至2024年底。")?.to).toBe("2024-12-31");
  });

  it("does not read a moved deadline or a condition as a period", () => {
    expect(findPeriod("该专利年费缴纳期限届满日自动延长至2023年6月15日，期间不产生滞纳金。")).toBeUndefined();
    expect(findPeriod("缴纳期限届满日在2022年6月15日至2022年12月31日之间的")).toBeUndefined();
  });

  it("reads a task deadline, and whether it goes on after it", () => {
    expect(parseDeadline("2023年6月底前并长期坚持")).toEqual({ date: "2023-06-30", text: "2023年6月底前并长期坚持", ongoing: true });
  });
});
