import { describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { analyseQuery } from "../search/query.js";
import type { Measure } from "../types.js";
import { excerptQuestion } from "./excerpt.js";
import { keyPart, overviewLine, shorten } from "./summary.js";

const QUESTION = "克拉玛依2023年在信用监管方面都安排了哪些工作？";

function measureHeaded(kb: KnowledgeBase, heading: string, region: string): Measure {
  const measure = kb.corpus.measures.find((m) => m.heading === heading && kb.documentOf(m).region === region);
  if (!measure) throw new Error(`no clause headed ${heading} in ${region}`);
  return measure;
}

async function readQuestion(question: string) {
  const kb = await seedKnowledgeBase();
  const { concepts } = analyseQuery(question, kb.index.keywordIndex, kb.lexicon);
  return { kb, question: excerptQuestion(question, concepts, concepts) };
}

describe("an overview of several clauses (real seed)", () => {
  it("gives a side of a comparison no figure of another matter its long clause also covers (电价 beside 供热价格)", async () => {
    const answer = await (await seedAsk())("哈密和自治区对供暖供热价格的规定有什么不同？");
    const [lead] = answer.body.split("\n");
    expect(lead).toContain("哈密市：");
    expect(lead).not.toContain("12%");
  });

  it("says once what a case's part and the next part both hold (企业有权拒绝)", async () => {
    const { kb, question } = await readQuestion("行业协会商会收费这块有什么要求？");
    const m = measureHeaded(kb, "清理规范行业协会商会收费", "新疆维吾尔自治区");
    const line = overviewLine([{ heading: m.heading, text: m.text, marker: 1, label: "自治区：" }], question, 200, "");
    expect(line).toContain("企业有权拒绝");
    expect(line).not.toMatch(/企业有权拒绝[，,]企业有权拒绝/);
  });

  it("takes a clause's figure before its named slogan, and no app's number for a figure", async () => {
    const { kb, question } = await readQuestion("公安机关和社保都有哪些压缩办理时限的措施？");
    const part = (start: string) => {
      const m = kb.corpus.measures.find((x) => x.text.startsWith(start));
      if (!m) throw new Error(`no clause opening ${start}`);
      return keyPart(m.text, m.heading, question);
    };
    // “12306APP” names where to apply; 15个工作日 is how soon.
    expect(part("优化身份证业务办理")).toContain("15个工作日");
    // 不见面 is the slogan; the transfer's 25 working days is what the clause does.
    expect(part("大力推行社保经办")).toContain("25个工作日");
  });

  it("takes from each clause the part that carries its figure, named programme or scope, not the heading's restatement", async () => {
    const { kb, question } = await readQuestion(QUESTION);
    const part = (heading: string) => {
      const m = measureHeaded(kb, heading, "克拉玛依市");
      return keyPart(m.text, m.heading, question);
    };
    // 七日 is a time limit three parts into the clause.
    expect(part("提高信用信息归集质量")).toContain("七日内公示公开");
    // A named programme (“…”) rather than the general first part (完善公共信用综合评价制度).
    expect(part("健全信用分级分类监管机制")).toContain("双随机+信用+分级分类监管");
    // What it makes (补充目录), not the law it carries out (深入贯彻落实《克拉玛依市社会信用条例》).
    expect(part("提升信用建设法治化规范化水平")).toContain("公共信用信息补充目录");
    // 信用 is the heading's word, so 建立健全行业领域信用承诺制度 gains nothing by it; the list of fields it covers does.
    expect(part("完善信用承诺制度")).toContain("告知承诺");
  });

  it("says a frame (按照……原则，依托……平台，在……领域，) with what is done under it", async () => {
    const { kb, question } = await readQuestion("克拉玛依有哪些规范中介服务、电子证照和涉企收费的任务？");
    const part = (words: string) => {
      const m = kb.corpus.measures.find((x) => x.text.includes(words))!;
      return keyPart(m.text, m.heading, question);
    };
    expect(part("应制尽制")).toMatch(/原则，完成电子证照制作/);
    expect(part("清理取代一批")).toMatch(/原则，全面梳理本地中介服务事项/);
    const fees = kb.corpus.measures.find((m) => m.text.startsWith("在交通物流"));
    expect(keyPart(fees!.text, undefined, question)).toMatch(/重点领域，开展涉企违规收费整治/);
  });

  it("prefers the part with the clause's figure or time limit, but not an edition's year", async () => {
    const { kb, question } = await readQuestion("政法机关和有关部门为企业提供了哪些便利？");
    const part = (heading: string, region = "新疆维吾尔自治区") => {
      const m = measureHeaded(kb, heading, region);
      return keyPart(m.text, m.heading, question);
    };
    expect(part("开通涉企诉讼案件“绿色通道”")).toContain("7日内完成网上立案审核");
    expect(part("强化知识产权惠企服务")).toContain("压缩至1个工作日");
    expect(part("规范实施行政许可和行政备案", "哈密市")).not.toContain("（2022年）");
  });

  it("prefers a rule (不得, 严禁, 一律) to a general part", async () => {
    const { kb, question } = await readQuestion("有哪些规范收费和招投标的措施？");
    const m = measureHeaded(kb, "切实规范政府采购和招投标", "新疆维吾尔自治区");
    expect(keyPart(m.text, m.heading, question)).toContain("不得限制保证金形式");
  });

  it("says a case (……的，) with what follows for it, and prefers it to a general part", async () => {
    const { kb, question } = await readQuestion("企业之间有了纠纷，政法委的50条措施里有哪些化解办法？");
    const m = measureHeaded(kb, "助推政府部门提升依法行政水平", "新疆维吾尔自治区");
    expect(keyPart(m.text, m.heading, question)).toMatch(/违约毁约的，依法支持企业合理诉求/);
    const closing = measureHeaded(kb, "优化注销流程", "克拉玛依市");
    const plain = (await readQuestion("注销方面有哪些便利？")).question;
    expect(keyPart(closing.text, closing.heading, plain)).toContain("营业执照丢失的，");
  });

  it("says a piece too short to stand alone (2023年3月底，) with the next", async () => {
    const { kb, question } = await readQuestion("自治区在规范涉企收费方面都有哪些措施？");
    const m = measureHeaded(kb, "严格规范政府收费和罚款", "新疆维吾尔自治区");
    expect(keyPart(m.text, m.heading, question)).toMatch(/2023\s*年\s*3\s*月底，完成涉企违规收费专项整治/);
  });

  it("fits every clause's substance into the lead by shortening items rather than dropping them", async () => {
    const { kb, question } = await readQuestion(QUESTION);
    const headings = ["健全信用分级分类监管机制", "提升信用建设法治化规范化水平", "完善信用承诺制度", "提高信用信息归集质量", "加强组织领导", "优化注销流程"];
    const items = headings.map((heading, i) => {
      const m = measureHeaded(kb, heading, "克拉玛依市");
      return { heading: m.heading, text: m.text, marker: i + 1 };
    });
    for (const budget of [290, 200]) {
      const line = overviewLine(items, question, budget);
      expect(line.length).toBeLessThanOrEqual(budget);
      for (let i = 1; i <= items.length; i++) expect(line).toContain(`[${i}]`);
      expect(line).toContain("七日");
      expect(line).toContain("告知承诺");
      // The part repeats the heading's words: it stands for both.
      expect(line).not.toContain("健全信用分级分类监管机制：");
    }
  });

  it("states a clause's second figure beside its first when both fit the clause's share of the lead", async () => {
    const { kb, question } = await readQuestion("克拉玛依养老保险和货车通行都有哪些规定？");
    const m = kb.corpus.measures.find((x) => x.text.includes("每天允许货车通行的时间放宽到不少于7"));
    if (!m) throw new Error("no 货车通行 clause");
    const item = { heading: m.heading, text: m.text, marker: 1 };
    const roomy = overviewLine([item], question, 200);
    expect(roomy).toContain("不少于7小时");
    expect(roomy).toContain("4.5吨以下");
    // Too little room for both: the first figure alone.
    const tight = overviewLine([item], question, 60);
    expect(tight).toContain("7小时");
    expect(tight).not.toContain("4.5吨");
  });

  it("shortens a list to its first item and never cuts a figure", async () => {
    const { question } = await readQuestion(QUESTION);
    expect(shorten("在教育、人社、生态环境、文体旅游、应急管理等领域推行证明事项告知承诺制", 20, question)).toBe("在教育等领域推行证明事项告知承诺制");
    const cut = shorten("按照基准电价不超过12%加价幅度收取电费并向社会公布收费标准和收费依据", 16, question);
    expect(cut.length).toBeLessThanOrEqual(16);
    expect(cut).toContain("12%");
  });

  it("leaves no answered clause out of the lead when only some state a figure, and says which have ended", async () => {
    const answer = await (await seedAsk())("自治区对小微企业有哪些收费减免？");
    const [first] = answer.body.split("\n");
    const quoted = [...answer.body.matchAll(/^\d+\. .*\[(\d+)\]。/gm)].map((m) => m[1]);
    expect(quoted.length).toBeGreaterThanOrEqual(4);
    for (const marker of quoted) expect(first).toContain(`[${marker}]`);
    expect(first).toContain("30%-50%");
    expect(first).toMatch(/10%（现已到期）\[\d\]/);
    expect(first.normalize("NFKC").length).toBeLessThanOrEqual(300);
  });

  it("answers an overview question with every clause's fact in the first 300 characters", async () => {
    const answer = await (await seedAsk())(QUESTION);
    const lead = answer.text.replace(/\s+/g, "").slice(0, 300);
    for (const fact of ["公共信用信息补充目录", "七日", "告知承诺", "双随机+信用+分级分类监管"]) expect(lead).toContain(fact);
  });

  it("states a city's copy of its province's clause once in the overview, with both markers", async () => {
    const answer = await (await seedAsk())("克拉玛依公安交管部门都出台了哪些便民措施？");
    const [first] = answer.body.split("\n");
    expect(first.match(/上门查验车辆/g)).toHaveLength(1);
    expect(first).toMatch(/上门查验车辆\[\d\]\[\d\]/);
    expect(first).toMatch(/^共有3项/);
  });

  it("in a comparison, lets the heading the sides share decide no side's part: the question's own words do", async () => {
    const answer = await (await seedAsk())("碰到行业协会商会乱收费，自治区和哈密各自怎么处理？");
    const [first] = answer.body.split("\n");
    // 乱收费 is what is asked; 行业协会商会收费 is only the heading both sides share.
    expect(first).toMatch(/自治区：.*有权拒绝/);
    expect(first).toMatch(/哈密市：.*12315/);
  });

  it("takes a hotline's number for no figure when the caller asks what is required (asked what to do, it is: above)", async () => {
    const answer = await (await seedAsk())("行业协会商会收费方面，自治区和哈密的方案各有什么要求？");
    const [first] = answer.body.split("\n");
    expect(first).toMatch(/哈密市：/);
    expect(first).not.toContain("12315");
  });

  it("in a comparison, takes each side's fact from what the other side does not say", async () => {
    const { kb, question } = await readQuestion("行业协会商会收费这块，自治区方案和哈密方案分别有什么要求？");
    const clause = (region: string) => {
      const m = kb.corpus.measures.find((x) => x.heading?.includes("清理规范行业协会商会收费") && kb.documentOf(x).region === region);
      if (!m) throw new Error(`no clause in ${region}`);
      return m;
    };
    const [province, hami] = [clause("新疆维吾尔自治区"), clause("哈密市")];
    // Both forbid forcing firms to named testing bodies in nearly the same words: that is no difference of 哈密's.
    // Sides are compared under the heading they share, so the heading is not set apart.
    const shared = keyPart(hami.text, undefined, question, true);
    const own = keyPart(hami.text, undefined, question, true, [province.text]);
    expect(shared).toContain("强制企业到指定机构检测");
    expect(own).not.toContain("强制企业到指定机构检测");
    expect(own).toMatch(/长效监管机制|信用惩戒/);
  });
});
