import { describe, expect, it } from "vitest";
import { baseForms, translateQuestion } from "./translate.js";

/** Every form occurs, unless listed as absent: the documents' frequencies, faked. */
const frequencies =
  (absent: string[] = []) =>
  (form: string) =>
    absent.includes(form) ? 0 : 3;

describe("baseForms", () => {
  it("reads plurals, -ed/-ing forms and -ly adverbs as the base form", () => {
    expect(baseForms("subsidies")).toContain("subsidy");
    expect(baseForms("licenses")).toContain("license");
    expect(baseForms("taxes")).toContain("tax");
    expect(baseForms("registered")).toContain("register");
    expect(baseForms("pledged")).toContain("pledge");
    expect(baseForms("business")).toEqual(["business"]);
    expect(baseForms("electronically")).toContain("electronic");
    expect(baseForms("easily")).toContain("easy");
    expect(baseForms("quickly")).toContain("quick");
  });
});

describe("translateQuestion", () => {
  it("reads a word none of whose own senses the documents write through another word of its stem (rig → 围标 of bid rigging)", () => {
    const rig = translateQuestion("What if bidders rig a tender?", { documentFrequency: frequencies(["操纵"]) });
    expect(rig.parts.find((p) => p.english === "rig")?.chinese).toBe("围标");
    // A word's own senses that the documents write come first, and senses using the word itself add nothing.
    expect(translateQuestion("What if bidders rig a tender?", { documentFrequency: frequencies() }).chinese).toContain("操纵");
    // 复工 is written in the documents, but by "return to work": a sense of "return" itself, which its reading weighed.
    const onlyResumption = (form: string) => (form === "复工" ? 3 : 0);
    expect(translateQuestion("Can we return the goods?", { documentFrequency: onlyResumption }).chinese).not.toContain("复工");
  });

  it("reads a charge's everyday English in the documents' words (tie-in sales, power bill), not word by word", () => {
    const tieIn = translateQuestion("Can banks force tie-in sales of wealth management products?", { documentFrequency: frequencies() }).chinese;
    expect(tieIn).toContain("捆绑搭售");
    expect(tieIn).toContain("理财产品");
    expect(tieIn).not.toContain("一件事");
    // To bundle a product with a loan is a tie-in; a bundled service is the documents' 一件事.
    const bundle = translateQuestion("Can a bank bundle insurance with a loan?", { documentFrequency: frequencies() }).chinese;
    expect(bundle).toContain("捆绑搭售");
    expect(bundle).not.toContain("一件事");
    expect(translateQuestion("Is hiring handled as one bundled service?", { documentFrequency: frequencies() }).chinese).toContain("一件事");
    expect(translateQuestion("How many bundled services are there?", { documentFrequency: frequencies() }).chinese).toContain("一件事");
    expect(translateQuestion("How many bundled one-stop items are there?", { documentFrequency: frequencies() }).chinese).not.toContain("捆绑搭售");
    const bill = translateQuestion("Can extra charges be added to the electricity bill?", { documentFrequency: frequencies() }).chinese;
    expect(bill).toContain("电费");
    expect(bill).not.toContain("法案");
  });

  it("reads policy vocabulary through the glossary, longest phrase first", () => {
    const reading = translateQuestion("Can a foreign-invested company get a temporary license plate for a new car?", { documentFrequency: frequencies() });
    expect(reading.chinese).toContain("外资企业");
    expect(reading.chinese).toContain("临时号牌");
    expect(reading.chinese.match(/号牌/g)).toHaveLength(1);
  });

  it("reads places, and what is asked goes last as the documents' question words", () => {
    const reading = translateQuestion("How much is the social insurance subsidy in Karamay?", { documentFrequency: frequencies() });
    expect(reading.chinese.startsWith("克拉玛依市 ")).toBe(true);
    expect(reading.chinese).toMatch(/社会保险 补贴 多少？$/);
    expect(reading.asks).toEqual(["多少"]);
  });

  it("drops a dictionary sense no clause writes that names no thing, and keeps a thing the documents lack", () => {
    // "stay" and "insist" are read by CC-CEDICT as 下榻 and 坚称: verbs the clauses never write, not topics.
    const absent = ["下榻", "驻留", "置身", "投宿", "歇宿", "坚称", "坚持", "硬是"];
    const reading = translateQuestion("Can buyers insist on a deposit if the business must stay open?", { documentFrequency: frequencies(absent) });
    expect(reading.chinese).not.toMatch(/下榻|坚称|坚持/);
    expect(reading.chinese).toContain("保证金");
    // 屋顶 names a thing: the documents lacking it is what the answer must say.
    const roof = translateQuestion("Is there a subsidy for the factory roof?", { documentFrequency: (form) => (form === "补贴" ? 3 : 0) });
    expect(roof.parts).toContainEqual(expect.objectContaining({ english: "roof", known: false }));
  });

  it("prefers the form the documents use", () => {
    expect(translateQuestion("What is the fee for a business license?", { documentFrequency: frequencies(["收费"]) }).chinese).toContain("费用");
    expect(translateQuestion("What is the fee for a business license?", { documentFrequency: frequencies() }).chinese).toContain("收费");
  });

  it("falls back to CC-CEDICT for words the glossary lacks, and keeps quoted Chinese", () => {
    const reading = translateQuestion("Does the 容缺受理 rule cover wind turbine blades?", { documentFrequency: frequencies() });
    expect(reading.chinese).toContain("容缺受理");
    expect(reading.chinese).toContain("叶片");
    expect(reading.parts.find((p) => p.chinese === "叶片")?.english).toBe("blades");
  });

  it("drops words that carry no topic, and gives nothing for a question with no topic", () => {
    expect(translateQuestion("Could you please tell us what it is?", { documentFrequency: frequencies() }).chinese).toBe("");
  });

  it("puts a request to act before the action, as the Chinese out-of-scope patterns read it", () => {
    const reading = translateQuestion("Please submit the patent pledge application for us.", { documentFrequency: frequencies() });
    expect(reading.chinese).toMatch(/^帮我 提交/);
  });

  it("reads a year as a year and bare numbers not at all", () => {
    const reading = translateQuestion("We hired 40 workers in 2023: any employment subsidy?", { documentFrequency: frequencies() });
    expect(reading.chinese).toContain("2023年");
    expect(reading.chinese).not.toMatch(/\b40\b/);
  });

  it("reads a question word inside a clause as no question ('users who are …')", () => {
    const reading = translateQuestion("What is the electricity price for farm users who are not supplied directly by the grid?", {
      documentFrequency: frequencies(),
    });
    expect(reading.asks).not.toContain("哪个部门");
    expect(reading.chinese).toContain("非电网直供");
    expect(translateQuestion("Is there a discount, and when does it end?", { documentFrequency: frequencies() }).asks).toContain("什么时候");
  });

  it("asks 多少 right after the figure asked of ('what is the interest rate')", () => {
    const reading = translateQuestion("What is the interest rate of the special loan for small businesses?", { documentFrequency: frequencies() });
    expect(reading.chinese).toMatch(/利率 多少 /);
    expect(reading.asks).toEqual(["多少"]);
  });

  it("reads an investor's origin as foreign-invested, not as the place asked about", () => {
    const reading = translateQuestion("Our Hong Kong-invested logistics company in Karamay needs a loan guarantee.", { documentFrequency: frequencies() });
    expect(reading.chinese).toMatch(/^克拉玛依市 外资企业/);
    expect(reading.chinese).not.toContain("香港");
    expect(translateQuestion("Is a state-owned enterprise treated differently?", { documentFrequency: frequencies() }).chinese).toContain("国有企业");
  });

  it("reads a word that carries no topic as nothing, in any form ('being' is no bee)", () => {
    expect(translateQuestion("Is the refund process being simplified?", { documentFrequency: frequencies() }).chinese).not.toContain("蜜蜂");
  });
});
