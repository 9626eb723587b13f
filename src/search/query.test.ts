import { describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import { analyseQuery } from "./query.js";

describe("reading a question's words against the documents' (real seed)", () => {
  it("reads a phrase across the caller's quotation marks (按“最高标准”罚 as 按最高标准罚)", async () => {
    const kb = await seedKnowledgeBase();
    const forms = (question: string) => analyseQuery(question, kb.index.keywordIndex, kb.lexicon).concepts.flatMap((c) => c.forms);
    expect(forms("执法的每次都按“最高标准”罚我们，这合理吗？")).toContain("顶格罚款");
    expect(forms("执法的每次都按「最高标准」罚我们")).toContain("顶格罚款");
  });

  it("finds the documents' word inside a spoken verb-noun compound the segmenter kept whole", async () => {
    const kb = await seedKnowledgeBase();
    const { concepts } = analyseQuery("坐飞机忘带了怎么办", kb.index.keywordIndex, kb.lexicon);
    const plane = concepts.find((c) => c.forms[0] === "坐飞机");
    expect(plane?.forms).toContain("飞机");
    expect(plane?.known).toBe(true);
  });

  it("gives a thesaurus phrase a longer one overlapped its own documents' words (骗子 in 被骗子骗走)", async () => {
    const kb = await seedKnowledgeBase();
    const { concepts } = analyseQuery("财务被骗子骗走了一笔货款，警察能帮忙把账户先冻住吗？", kb.index.keywordIndex, kb.lexicon);
    const swindler = concepts.find((c) => c.forms[0] === "骗子");
    expect(swindler?.forms).toContain("电信诈骗");
    expect(swindler?.known).toBe(true);
    const ask = await seedAsk();
    const answer = await ask("财务被骗子骗走了一笔货款，警察能帮忙把账户先冻住吗？");
    expect(answer.refused).toBe(false);
    expect(answer.citations.some((c) => c.text.includes("涉案账户快速冻结"))).toBe(true);
  });

  it("reads an act said with one character and a complement as the documents' verb holding it (捆着 → 捆绑)", async () => {
    const kb = await seedKnowledgeBase();
    const formsOf = (question: string, asked: string) =>
      analyseQuery(question, kb.index.keywordIndex, kb.lexicon).concepts.find((c) => c.forms[0] === asked)?.forms;
    expect(formsOf("供暖公司非要捆着卖别的服务，有人管吗？", "捆着")).toContain("捆绑");
    expect(formsOf("法院把我们厂房封了，有人管吗", "封了")).toContain("查封");
    expect(formsOf("我们公司股权被冻了，还能简易注销吗", "冻了")).toEqual(["冻了", "冻结"]);
    // What the asker tells of doing (租了个摊位) is their story, not an act done to them.
    expect(formsOf("我在大巴扎租了个摊位卖干果", "租了")).toBeUndefined();
    const ask = await seedAsk();
    const answer = await ask("供暖公司非要捆着卖别的服务，不买不给供暖，有人管吗？");
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.text).toContain("捆绑搭售");
  });

  it("reads the words that ask for every clause of a kind (所有, 全部, 一共) as no topic", async () => {
    const kb = await seedKnowledgeBase();
    const asked = analyseQuery("所有关于电子保函的措施有哪些？", kb.index.keywordIndex, kb.lexicon).concepts.map((c) => c.forms[0]);
    expect(asked).toContain("电子保函");
    expect(asked).not.toContain("所有");
    // 所有 stood in a clause on 全市所有定点医药机构, which came first.
    const answer = await (await seedAsk())("所有关于电子保函的措施有哪些？");
    expect(answer.citations[0]?.text).toContain("电子保函");
  });

  it("keeps a kind of enterprise whole: 食品厂 is no question about 食品", async () => {
    const kb = await seedKnowledgeBase();
    const { concepts } = analyseQuery("我们食品厂招残疾人能退多少增值税", kb.index.keywordIndex, kb.lexicon);
    expect(concepts.find((c) => c.forms[0] === "食品厂")?.forms).toEqual(["食品厂"]);
  });

  it("answers a follow-up from the sentence its own words point at", async () => {
    const ask = await seedAsk();
    const answer = await ask("要是坐飞机忘带了怎么办？", [{ question: "现在办居民身份证要多少天？" }]);
    expect(answer.text.slice(0, 200)).toContain("民航临时乘机证明");
  });
});
