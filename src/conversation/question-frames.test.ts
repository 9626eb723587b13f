import { describe, expect, it } from "vitest";
import { asksNothing, framesOf, quotedTerms, stripFrames, unstatedFrame, withoutComparing } from "./question-frames.js";

describe("question frames (question-frames.json)", () => {
  it("finds what a question asks about its topic, the longest phrase first", () => {
    expect(framesOf("截止到什么时候")).toEqual(["time"]);
    expect(framesOf("在哪里办？要钱吗")).toEqual(["place", "cost"]);
    expect(framesOf("需要什么条件，带什么材料")).toEqual(["conditions", "materials"]);
    expect(framesOf("谁负责")).toEqual(["responsible"]);
    // Someone before the words asks for money themselves: a debt, not a price.
    expect(framesOf("法院支持我们要钱吗")).toEqual([]);
    expect(framesOf("找对方要钱吗")).toEqual([]);
    expect(framesOf("办这个要钱吗")).toEqual(["cost"]);
    expect(framesOf("怎么申请")).toEqual(["procedure"]);
    expect(framesOf("专利年费滞纳金能减免吗")).toEqual([]);
    // 在哪天 is when, not where; who qualifies is a condition, not a topic.
    expect(framesOf("完成期限定在哪天？")).toEqual(["time"]);
    expect(framesOf("能享受的主体都有谁？个体户算不算？")).toEqual(["conditions"]);
    expect(framesOf("自治区和哈密有什么不同？")).toEqual(["compare"]);
    expect(framesOf("两地分别怎么规定，有啥区别")).toEqual(["compare"]);
  });

  it("leaves the topic when the frame is taken out", () => {
    expect(stripFrames("公司刻章备案要多长时间？")).toBe("公司刻章备案要 ？");
    expect(stripFrames("截止到什么时候")).toBe("");
    expect(stripFrames("供暖价格，自治区和哈密有什么区别？")).toBe("供暖价格，自治区和哈密 ？");
  });

  it("takes out only the words that set sides against each other", () => {
    expect(withoutComparing("物流收费，自治区和哈密有什么不同？")).toBe("物流收费，自治区和哈密 ？");
    expect(withoutComparing("两地分别什么时候完成")).toBe("两地 什么时候完成");
  });

  it("says how long is not stated only when no text gives a span of time, a date being no span", () => {
    const label = { kind: "duration", label: "需要多长时间" };
    expect(unstatedFrame("退税要几天？", ["进一步优化留抵退税办理流程，简化退税审核程序。"])).toEqual(label);
    expect(unstatedFrame("多久能办完？", ["2023年6月底前，编制完成本级行政许可事项清单。"])).toEqual(label);
    // 及时 (promptly) and 随时 (at any time) say how soon in no measure of time.
    expect(unstatedFrame("立案要多久？", ["不同意诉前调解的，及时立案。"])).toEqual(label);
    expect(unstatedFrame("保证金多少天内退完？", ["及时清退应退未退的沉淀保证金，限时完成保证金“应退尽退”。"])).toEqual(label);
    for (const said of [
      "刻章备案的办理时限压缩至1个工作日。",
      "在查明后的三日以内解除冻结措施。",
      "调解期限不超过30日。",
      "3年之内可以随时恢复经营。",
      "每季度开展重点评查。",
      "做到当日受理、及时办理、快速出证。",
    ])
      expect(unstatedFrame("要多长时间？", [said])).toBeUndefined();
  });

  it("tells a bare topic that asks nothing from a short question", () => {
    for (const q of ["农业用电", "克拉玛依的", "个体户。"]) expect(asksNothing(q)).toBe(true);
    for (const q of ["要钱吗", "在哪里办", "谁负责", "几天？", "我想办理营业执照变更"]) expect(asksNothing(q)).toBe(false);
  });

  it("says a where or cost frame is not stated only when no text uses that frame's words", () => {
    const seal = "刻章备案的办理时限压缩至1个工作日。";
    expect(unstatedFrame("在哪里办", [seal])).toEqual({ kind: "place", label: "办理地点" });
    expect(unstatedFrame("要钱吗", [seal])).toEqual({ kind: "cost", label: "是否收费" });
    expect(unstatedFrame("在哪里办", ["一般企业开办全部事项“一网通办、全程网办”"])).toBeUndefined();
    expect(unstatedFrame("要钱吗", ["免收检验检测费用"])).toBeUndefined();
    // Frames the clauses answer in their own fields (deadline, lead unit) are left to the answer.
    expect(unstatedFrame("截止到什么时候", [seal])).toBeUndefined();
  });

  it("reads whether something is lawful as a frame, and the words a caller quotes", () => {
    expect(framesOf("几个人来店里收“保护费”，不给就砸东西，公安管不管？")).toEqual(["legality"]);
    expect(framesOf("转供电加收的线损费合法吗")).toEqual(["legality"]);
    expect(quotedTerms("有人打着“协会”的名义收「赞助费」，合规吗")).toEqual(["协会", "赞助费"]);
  });
});
