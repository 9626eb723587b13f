import { describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import { analyseQuery } from "../search/query.js";
import type { Measure } from "../types.js";
import { excerpt, excerptQuestion } from "./excerpt.js";

async function compared(question: string, heading: string) {
  const kb = await seedKnowledgeBase();
  const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
  const read = excerptQuestion(question, concepts, concepts);
  const clause = (region: string): Measure => {
    const found = kb.corpus.measures.find((m) => m.heading === heading && kb.documentOf(m).region === region && /方案/.test(kb.documentOf(m).title));
    if (!found) throw new Error(`no ${heading} in ${region}`);
    return found;
  };
  const province = clause("新疆维吾尔自治区");
  const city = clause("哈密市");
  const side = (own: Measure, other: Measure, limit: number) => excerpt(own.text, read, limit, { others: [other.text], heading: own.heading });
  return { province, city, side };
}

describe("quoting a clause asked for everything it says", () => {
  it("takes each sentence on the matter with a figure of its own, a little past the usual length", async () => {
    const kb = await seedKnowledgeBase();
    const clause = kb.corpus.measures.find((m) => m.text.includes("0.39") && kb.documentOf(m).region === "哈密市")!;
    const read = (question: string) => {
      const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
      // The room an item of a short list has.
      return excerpt(clause.text, excerptQuestion(question, concepts, concepts), 130);
    };
    const all = read("哈密对非电网直供电用户的电价都有哪些规定？");
    expect(all).toContain("0.39");
    expect(all).toContain("0.312");
    expect(all).toContain("12%");
    expect(read("哈密对非电网直供电用户的电价怎么规定？")).not.toContain("12%");
  });
});

describe("quoting the sentence a question asks about (real seed)", () => {
  async function reading(question: string, words: string) {
    const kb = await seedKnowledgeBase();
    const clause = kb.corpus.measures.find((m) => m.text.includes(words) && kb.documentOf(m).region === "哈密市")!;
    const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
    return excerpt(clause.text, excerptQuestion(question, concepts, concepts));
  }

  it("gives a heading that answers best with the sentence after it, cut to the room left", async () => {
    // Under 清理规范行业协会商会收费 the next sentence (建立……长效监管机制) says what the clause first does; a later
    // sentence naming the same words (严禁行业协会商会……) does not replace it because the first is long.
    const quoted = await reading("行业协会商会收费怎么管？", "建立健全行业协会商会收费长效监管机制");
    expect(quoted.startsWith("清理规范行业协会商会收费。建立健全行业协会商会收费长效监管机制")).toBe(true);
    expect(quoted.length).toBeLessThanOrEqual(175);
  });

  it("gives the heading instead the sentence naming more of the question, as specific as the heading's words", async () => {
    // Under 优化注销流程, 营业执照 is what the asker lacks: the sentence on a lost licence, not the first one on 注销.
    const kb = await seedKnowledgeBase();
    const clause = kb.corpus.measures.find((m) => m.text.includes("营业执照作废声明"))!;
    const question = "店要注销了，可营业执照早就找不着了，咋整？";
    const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
    const quoted = excerpt(clause.text, excerptQuestion(question, concepts, concepts), 120);
    expect(quoted.startsWith("优化注销流程。")).toBe(true);
    expect(quoted).toContain("作废声明");
    // 要求 of 有什么要求 is in a later sentence (约束问责等要求) but weighs less than the heading's words: no reason to skip.
    const bidding = await reading("政府采购和招投标有什么要求？", "统一身份认证平台");
    expect(bidding.startsWith("规范政府采购和招投标。建立公共资源交易系统统一身份认证平台")).toBe(true);
  });

  it("follows a heading that names the asked word only by a related term with the sentence saying the word itself", async () => {
    // 推动规范市政公用服务价外收费 speaks of 捆绑收费 only through the thesaurus (价外收费): the sentence the asker's
    // own word is in (坚决制止强制服务、捆绑收费) says what is done about it, the one after the heading does not.
    const quoted = await reading("公用事业捆绑收费怎么处理？", "坚决制止强制服务、捆绑收费");
    expect(quoted.startsWith("推动规范市政公用服务价外收费。")).toBe(true);
    expect(quoted).toContain("捆绑收费");
  });

  it("prefers the sentence saying the question's words as one phrase (供热价格) to one naming them apart", async () => {
    // 加强价格监督检查……供热…… names both words too; 不断完善供热价格机制 says them as the question does.
    const quoted = await reading("供暖供热价格是怎么要求的？", "热价与煤炭");
    expect(quoted).toContain("热价与煤炭");
  });
});

describe("quoting each side of a comparison (real seed)", () => {
  it("quotes the sentence carrying a rule the other side lacks, not the one with most question words", async () => {
    const { province, city, side } = await compared("中介服务收费方面，自治区方案和哈密方案各有什么规定？", "持续规范中介服务");
    expect(side(province, city, 150)).toContain("不得超范围、超标准收费");
    expect(side(city, province, 150)).toContain("一律通过市场调节价格");
  });

  it("passes over what both sides say and gives a point's opening with the sentence that says how", async () => {
    const { province, city, side } = await compared("知识产权保护方面，自治区方案和哈密方案各有哪些做法？", "持续加强知识产权保护");
    const own = side(province, city, 100);
    // 加强知识产权领域信用体系建设。 opens the point; the next sentence is what it is.
    expect(own).toContain("加强知识产权领域信用体系建设。建立完善自治区知识产权领域信用分级分类管理制度");
    // Both documents say 倡导科技创新，保护知识产权 and 加强协作，推动知识产权纠纷诉调对接……: not a difference.
    expect(own).not.toContain("倡导科技创新");
    expect(own).not.toContain("诉调对接");
    expect(side(city, province, 100)).toContain("4·26");
  });

  it("counts a sentence the other side nearly copies (2023年3月底前，配合自治区完成……) for little", async () => {
    const { province, city, side } = await compared("自治区和哈密在涉企收费方面有什么不同？", "严格规范政府收费和罚款");
    const own = side(city, province, 150);
    expect(own).not.toContain("完成涉企违规收费专项整治");
    expect(own).toContain("行政处罚法");
  });

  it("quotes what each side's clause does, not its heading", async () => {
    const answer = await (await seedAsk())("克拉玛依和哈密在信用监管方面分别是怎么安排的？");
    expect(answer.body).not.toMatch(/：健全信用分级分类监管机制\[/);
    expect(answer.body).toContain("双随机+信用+分级分类监管");
  });

  it("answers a comparison of two documents with each side's deciding sentence in the lead", async () => {
    const answer = await (await seedAsk())("中介服务收费方面，自治区方案和哈密方案各有什么规定？");
    const lead = answer.text.replace(/\s+/g, "").slice(0, 300);
    expect(lead).toContain("不得超范围、超标准收费");
    expect(lead).toContain("市场调节价格");
  });
});

describe("a follow-up that narrows the topic (real seed)", () => {
  it("quotes what the follow-up names (农业 … 0.312), not the earlier question's part (居民 … 0.39)", async () => {
    const ask = await seedAsk();
    const first = "哈密市居民用非电网直供电价格是多少";
    const earlier = await ask(first, []);
    expect(earlier.body).toContain("0.39");
    const follow = await ask("农业用电", [{ question: first, resolvedQuestion: first, answer: earlier.text }]);
    const hami = follow.body.split("\n")[0];
    expect(hami).toContain("哈密市");
    expect(hami).toContain("农业非电网直供电终端用户，执行0.312元/千瓦时目录电价");
    expect(hami).not.toContain("0.39");
    expect(hami).not.toContain("居民");
  });

  it("cuts a sentence that sets both topics apart to the part about what the follow-up names", async () => {
    const kb = await seedKnowledgeBase();
    const first = "哈密市居民用非电网直供电价格是多少";
    const read = (question: string) => analyseQuery(question, kb.index.keywordIndex, kb.lexicon).concepts;
    const question = excerptQuestion("农业用电", read("农业用电"), read(`农业用电 ${first}`), first);
    const clause = kb.corpus.measures.find((m) => m.text.includes("0.312") && kb.documentOf(m).region === "哈密市");
    // The same clause with 居民 and 农业 in one sentence, set apart by a comma instead of a semicolon.
    const merged = clause!.text.replace(/(0\.39\s*元\/千瓦时目录电价)；/, "$1，");
    expect(merged).not.toBe(clause!.text);
    const quoted = excerpt(merged, question);
    expect(quoted).toContain("农业非电网直供电终端用户，执行0.312");
    expect(quoted).not.toContain("0.39");
    // A case with no figure of its own, or what follows a case (……的，), is never cut from its sentence.
    const bound = "涉诉企业现场立案的，无需通过在线方式重复提交材料。";
    const asked = excerptQuestion("需要什么材料", read("需要什么材料"), read("需要什么材料 企业网上立案审核"), "企业网上立案审核");
    expect(asked.own.length).toBeGreaterThan(0);
    expect(excerpt(bound, asked)).toBe("涉诉企业现场立案的，无需通过在线方式重复提交材料");
    // Asked alone, the same sentence is quoted whole.
    expect(excerpt(merged, excerptQuestion("农业用电", read("农业用电"), read("农业用电")))).toContain("0.39");
  });

  it("leaves a question asked alone as it was: no words of its own set apart", async () => {
    const kb = await seedKnowledgeBase();
    const { concepts } = analyseQuery("农业用电", kb.index.keywordIndex, kb.lexicon);
    expect(excerptQuestion("农业用电", concepts, concepts).own).toEqual([]);
    expect(excerptQuestion("农业用电", concepts, concepts, "哈密市居民用非电网直供电价格是多少").own.map((c) => c.forms[0])).toEqual(["农业"]);
  });
});

describe("a short clause answering alone (real seed)", () => {
  it("is quoted whole: what it does for the case may be in the sentence sharing fewer of the question's words", async () => {
    const answer = await (await seedAsk())("疫情那阵子我们厂资金周转不过来，欠的债到期还不上，法院会怎么处理？");
    expect(answer.body.slice(0, 300)).toContain("分期履行、延期履行");
  });

  it("is quoted whole up to what a caller reads first, though longer than one sentence's quote", async () => {
    const kb = await seedKnowledgeBase();
    const clause = kb.corpus.measures.find((m) => m.text.startsWith("开展涉案企业合规改革工作"))!;
    const question = "做合规整改能不起诉吗？";
    const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
    const read = excerptQuestion(question, concepts, concepts);
    // Its first sentence says 不捕不诉; the second, sharing more of the question's words, only 可不起诉 with a duty.
    expect(excerpt(clause.text, read)).toContain("不捕不诉");
    // Beneath a lead in another language, one sentence's quote.
    expect(excerpt(clause.text, read, undefined, undefined, false)).not.toContain("不捕不诉");
  });
});
