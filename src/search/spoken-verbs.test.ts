import { describe, expect, it } from "vitest";
import { documentVerbs, spokenActs } from "./spoken-verbs.js";
import { words } from "./tokenize.js";

describe("spoken acts", () => {
  it.each([
    ["水电气暖这些单位，能不能捆着让企业买别的东西", [{ asked: "捆着", act: "捆" }]],
    ["公司账户被冻住了好几个月", [{ asked: "冻住", act: "冻" }]],
    ["设备被扣着不还", [{ asked: "被扣着", act: "扣" }]],
    ["法院把厂房封了", [{ asked: "封了", act: "封" }]],
  ])("finds the act in %s", (question, acts) => {
    expect(spokenActs(words(question))).toEqual(acts);
  });

  it.each(["我在大巴扎租了个摊位卖干果", "为了办营业执照跑了三趟", "材料交了", "我们去办了吗"])("finds none in %s", (question) => {
    expect(spokenActs(words(question))).toEqual([]);
  });

  it("names the documents' verbs holding the act's character, none when too many would", () => {
    const used = new Set(["查封", "封闭", "冻结", "办理", "办结", "举办", "创办", "承办", "开办"]);
    expect(documentVerbs("封", (w) => used.has(w)).sort()).toEqual(["封闭", "查封"]);
    expect(documentVerbs("冻", (w) => used.has(w))).toEqual(["冻结"]);
    expect(documentVerbs("办", (w) => used.has(w))).toEqual([]);
  });
});
