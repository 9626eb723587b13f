import { describe, expect, it } from "vitest";
import { seedAsk } from "../../../test/helpers.js";
import type { Answer } from "../../types.js";
import { englishLead } from "./lead.js";

describe("English questions through ask, on the seed", () => {
  it("answers with an English lead carrying the cited clause's figure, and cites the Chinese clause", async () => {
    const ask = await seedAsk();
    const answer = await ask("Our company wants to pledge its trademarks for a bank loan. How long does the trademark pledge registration review take?");
    expect(answer.refused).toBe(false);
    expect(answer.body.startsWith("In brief")).toBe(true);
    const lead = answer.text.slice(0, 300);
    expect(lead).toContain("2 working days (2个工作日)");
    expect(lead).toMatch(/\[1\]/);
    expect(answer.citations[0].text.replace(/\s+/g, "")).toContain("商标质押登记审查周期压缩至2个工作日");
    // The Chinese answer follows the lead, and the sources stay in Chinese.
    expect(answer.text).toContain("依据：");
    expect(answer.resolvedQuestion).toMatch(/商标/);
  });

  it("refuses in English a question the documents cannot answer", async () => {
    const answer = await (await seedAsk())("Can we get a subsidy for putting solar panels on our warehouse roof?");
    expect(answer.refused).toBe(true);
    expect(answer.text.startsWith("Sorry")).toBe(true);
    expect(answer.citations).toEqual([]);
  });

  it("refuses in English a place the knowledge base has no policies for", async () => {
    const answer = await (await seedAsk())("What fee reductions do small businesses in Shanghai get?");
    expect(answer.refusal?.reason).toBe("other-region");
    expect(answer.text.startsWith("Sorry, the knowledge base only holds policies")).toBe(true);
  });

  it("refuses in English to act on the asker's behalf", async () => {
    const answer = await (await seedAsk())("Please submit the patent pledge registration application for us today.");
    expect(answer.refusal?.reason).toBe("request-to-act");
    expect(answer.text.startsWith("Sorry, I can only find and explain policy clauses")).toBe(true);
  });

  it("answers a Chinese question naming an app in Chinese, with no English lead", async () => {
    const answer = await (await seedAsk())("新疆公安APP能办特种行业备案吗？");
    expect(answer.refused).toBe(false);
    expect(answer.body).not.toMatch(/In brief|Sorry/);
  });

  it("reads an English follow-up with the earlier English question, and leads with the figure of the topic asked", async () => {
    const ask = await seedAsk();
    const answer = await ask("And for trademarks?", [{ question: "How long does the review of a patent pledge registration take?" }]);
    expect(answer.refused).toBe(false);
    expect(answer.body).toMatch(/^In brief, the policy clauses state: 2 working days \(2个工作日\)/);
    expect(answer.citations[0].text.replace(/\s+/g, "")).toContain("商标质押登记审查周期压缩至2个工作日");
  });

  it("asked by when, leads with the cited clause's deadline when the quoted sentences give none", async () => {
    const answer = await (await seedAsk())("When was the electronic letter of guarantee system for public resource trading in Karamay supposed to go live?");
    expect(answer.refused).toBe(false);
    expect(answer.text.slice(0, 300)).toMatch(/deadline end of \w+ 2023 \(2023年\d+月底\) \[\d\]/);
    expect(answer.citations[0].text).toContain("电子保函");
  });

  it("asked whether something is allowed, leads with the rule the clause sets, quoted in Chinese", async () => {
    const ask = await seedAsk();
    const answer = await ask("Do I need a building safety appraisal report to register a business in a self-built house?");
    expect(answer.text.slice(0, 200)).toMatch(/^In brief, the clause says \(in Chinese\): “[^”]*无需提交房屋安全鉴定报告” \[1\]\./);
    // Asked which, the rule is no answer: the figures lead as before.
    const which = await ask("In Karamay, which companies can wind up their business through the simplified deregistration?");
    expect(which.text).not.toMatch(/^In brief, the clause says/);
  });

  it("quotes beneath its lead only the sentences on the matter, not a whole clause a Chinese answer would quote", async () => {
    const answer = await (await seedAsk())("May tendering in Xinjiang limit the form of the bid deposit?");
    expect(answer.text.slice(0, 300)).toContain("不得限制保证金形式");
    // The clause's opening sentence, on digital certificates, is not what was asked.
    expect(answer.body).not.toContain("探索建设多CA互认管理系统");
  });
});

describe("the rule an English lead quotes", () => {
  const answer = (body: string) =>
    ({
      body,
      confidence: "answer",
      citations: [{ marker: 1, documentId: "d", document: "示例方案", path: "（八）", status: "in-force" }],
    }) as unknown as Answer;

  it("cuts a long crack-down list to the rule word and the items on the question's topics", () => {
    const body =
      "1. 哈密市：深化银行涉企收费整治，坚决查处银行机构未按规定进行服务价格信息披露、不落实小微企业收费优惠政策、收取费用与所提供服务不符、转嫁成本、强制捆绑搭售保险或者理财产品等违规行为[1]。";
    const lead = englishLead(answer(body), { asks: [], topics: ["捆绑搭售", "理财产品"] });
    expect(lead).toMatch(/^In brief, the clause says \(in Chinese\): “坚决查处……强制捆绑搭售保险或者理财产品等违规行为” \[1\]\./);
  });

  it("with neither a figure nor a rule, quotes the phrase naming the question's topics", () => {
    const body =
      "1. 制定破产案件快速审理工作指引，规范破产案件审理程序。对陷入困境但仍有发展前景和挽救价值的企业，积极适用破产重整、破产和解程序，帮助企业重新焕发生机活力[1]。";
    const lead = englishLead(answer(body), { asks: [], topics: ["破产重整"] });
    expect(lead).toMatch(/^In brief, the clause says \(in Chinese\): “积极适用破产重整、破产和解程序” \[1\]\./);
    expect(englishLead(answer(body), { asks: [], topics: ["清算组"] })).toContain("they state no figure");
  });

  it("quotes no list whose items name none of the question's topics", () => {
    const body =
      "1. 哈密市：坚决查处银行机构未按规定进行服务价格信息披露、不落实小微企业收费优惠政策、收取费用与所提供服务不符、转嫁成本、强制捆绑搭售保险或者理财产品等违规行为[1]。";
    expect(englishLead(answer(body), { asks: [], topics: ["贷款利率"] })).not.toContain("the clause says");
  });
});
