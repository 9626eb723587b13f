import { describe, expect, it } from "vitest";
import { findFigures } from "./figures.js";

const read = (text: string) => findFigures(text).map((f) => [f.quoted, f.english, f.kind]);

describe("findFigures", () => {
  it("reads percentages, money, durations, dates, counts and hotline numbers as the clause writes them", () => {
    expect(read("减免30%-50%的检验检测费用，实施期限为2023 年5 月1 日至2023 年8 月31 日")).toEqual([
      ["30%-50%", "30%-50%", "percent"],
      ["2023年5月1日", "1 May 2023", "date"],
      ["2023年8月31日", "31 August 2023", "date"],
    ]);
    expect(read("压缩至1 个工作日，商标2 个工作日")).toEqual([
      ["1个工作日", "1 working day", "duration"],
      ["2个工作日", "2 working days", "duration"],
    ]);
    expect(read("上限提高到6000 万元")).toEqual([["6000万元", "60,000,000 yuan", "amount"]]);
    expect(read("执行0.312 元/千瓦时目录电价")).toEqual([["0.312元/千瓦时", "0.312 yuan per kWh", "amount"]]);
    expect(read("完成时限：2023 年12 月底前")).toEqual([["2023年12月底", "end of December 2023", "date"]]);
    expect(read("拨打“12345”热线")).toEqual([["12345", "12345", "number"]]);
    expect(read("推出15个“一件事”")).toEqual([["15个", "15", "count"]]);
  });

  it("turns a discount written as 折 into the share paid and the share saved", () => {
    expect(read("按8折收取")).toEqual([["8折", "80% of the normal price, a 20% discount", "percent"]]);
    expect(read("予以75折优惠")).toEqual([["75折", "75% of the normal price, a 25% discount", "percent"]]);
  });
});
