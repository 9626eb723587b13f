import { describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import { aspectsOf } from "../answer/aspects.js";
import { needOf } from "../match/index.js";
import { analyseQuery } from "../search/query.js";

/** Questions that need more than one clause, or one clause chosen by what the asker needs, on the real seed. */
describe("several matters in one question", () => {
  it("finds each listed matter as a matter of its own, and none in a question about one", async () => {
    const kb = await seedKnowledgeBase();
    const analyse = (text: string) => analyseQuery(text, kb.index.keywordIndex, kb.lexicon);
    const aspects = aspectsOf("身份证办理时限、户籍业务网上办、公证跨省通办分别是怎么规定的？", analyse);
    expect(aspects.map((a) => a.text)).toEqual(["身份证办理时限", "户籍业务网上办", "公证跨省通办分别是怎么规定的"]);
    // Without a word that lists matters, the pieces of a long question are its story.
    expect(aspectsOf("我在哈密开了个小饭馆，今天市场监管来看后厨，过两天又换个部门来查，真有这个说法吗？", analyse)).toEqual([]);
    expect(aspectsOf("检验检测费能减免多少，什么时候到期？", analyse)).toEqual([]);
  });

  it("reads matters listed with 这些 (A、B这些), and a matter whose documents' words hold an asking word (抓人 → 强制措施)", async () => {
    const kb = await seedKnowledgeBase();
    const analyse = (text: string) => analyseQuery(text, kb.index.keywordIndex, kb.lexicon);
    const aspects = aspectsOf("扣押企业的货物、抓老板这些做法，政法机关有什么限制？", analyse);
    expect(aspects.length).toBeGreaterThanOrEqual(2);
    expect(aspects.some((a) => a.text.includes("扣押"))).toBe(true);
    const arrest = aspects.find((a) => a.text.includes("抓老板") && !a.text.includes("扣押"));
    expect(arrest?.topics.map((t) => t.forms[0])).toContain("抓老板");
  });

  it("quotes each matter's own clause, each with its deciding fact in the lead", async () => {
    const answer = await (await seedAsk())("准备开一家保安服务公司，公安那边要办行政许可、刻公章，网站还得做联网备案。政法委50条里这几件事分别有啥便利？");
    const lead = answer.body.slice(0, 300);
    expect(answer.citations.slice(0, 3).map((c) => c.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/6\.$/), expect.stringMatching(/7\.$/), expect.stringMatching(/8\.$/)]),
    );
    expect(lead).toContain("1个工作日");
    expect(lead).toContain("20日");
    expect(lead).toMatch(/一站式|新疆公安APP/);
  });
});

describe("an overview's items", () => {
  it("name a clause without a heading by its own opening, said whole, not by its first words cut as a heading", async () => {
    const answer = await (await seedAsk())("整治涉企违规收费的措施都有哪些？");
    const lead = answer.body.slice(0, 300);
    expect(lead).toContain("在交通物流、水电气暖、金融、地方财经、行业协会商会和中介机构等重点领域，开展涉企违规收费整治");
  });
});

describe("a self-description with a need", () => {
  it("is a profile only when it names no matter of its own", async () => {
    const kb = await seedKnowledgeBase();
    const need = (q: string) => needOf(analyseQuery(q, kb.index.keywordIndex, kb.lexicon).concepts).map((c) => c.forms[0]);
    expect(need("我是哈密的个体户，开饭馆的，有什么政策能享受？")).toEqual([]);
    expect(need("我们公司是外资企业，在乌鲁木齐，能享受哪些优惠？")).toEqual([]);
    expect(need("我是哈密的个体户，开饭馆的，想少交点检测费，有什么政策？")).toContain("检测费");
  });

  it("answers the need from its clauses first, then lists what else may apply to the asker", async () => {
    const answer = await (await seedAsk())("我是哈密的个体户，开饭馆的，想少交点检测费，有什么政策？");
    expect(answer.body.indexOf("30%-50%")).toBeGreaterThanOrEqual(0);
    expect(answer.body.indexOf("其他可能适用的措施（哈密市 · 个体工商户 · 餐饮）")).toBeGreaterThan(answer.body.indexOf("30%-50%"));
    // Every listed item is cited.
    const markers = [...answer.body.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    for (const marker of markers) expect(answer.citations.some((c) => c.marker === marker)).toBe(true);
  });

  it("lists what else may apply once, when a topic the documents lack is set aside and the rest answered", async () => {
    const answer = await (await seedAsk())("我是哈密开物流公司的，门面房租太高了，物流收费有什么减免政策？");
    expect(answer.body).toContain("没有关于“房租”的规定");
    expect(answer.body.match(/其他可能适用的措施/g)).toHaveLength(1);
  });

  it("takes the place of the business, not the place the asker came from", async () => {
    const answer = await (await seedAsk())("我们是从奎屯过来的小装修公司，想在克拉玛依接老旧小区改造的活。一是担心审批慢，二是怕投标时被卡。有什么政策？");
    expect(answer.body).toContain("即接即办");
    expect(answer.body).not.toContain("伊犁");
  });
});

describe("comparisons", () => {
  it("says a copied clause once for both places and states what one place adds", async () => {
    const answer = await (await seedAsk())("买了新车要办临时号牌，政法委50条和克拉玛依放管服要点在设服务站这件事上有什么不一样？");
    const lead = answer.body.split("\n")[0];
    expect(lead).toMatch(/克拉玛依市、自治区相同|自治区、克拉玛依市相同/);
    expect(lead).toContain("克拉玛依市另规定");
    expect(lead).toContain("二手车交易市场");
  });

  it("states each side's part side by side before quoting sides that differ throughout", async () => {
    const answer = await (await seedAsk())("政府采购保证金这块，自治区和哈密分别有什么规定？");
    const [lead, next] = answer.body.split("\n");
    expect(lead).toMatch(/^自治区：[^；]+\[1\]；哈密市：[^；]+\[2\]。$/);
    expect(next).toBe("原文摘录：");
  });

  it("searches each side on the topic, not on the words that set the sides against each other", async () => {
    // 不同 is also a word of a clause (平等保护不同所有制主体): a side searched with it finds that clause instead.
    const answer = await (await seedAsk())("市场主体登记这块，自治区和哈密的做法有什么不同？");
    expect(answer.refused).toBe(false);
    const paths = answer.citations.slice(0, 2).map((c) => `${c.region} ${c.path}`);
    expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^新疆维吾尔自治区 一、.*（五）$/), expect.stringMatching(/^哈密市 一、.*（五）$/)]));
  });

  it("judges a comparison on its topic: 不同 is how it asks, not a word a clause must have", async () => {
    const answer = await (await seedAsk())("物流收费上，哈密和自治区的做法有何不同？");
    expect(answer.confidence).toBe("answer");
    expect(answer.citations[0].path).toMatch(/（十）$/);
  });

  it("finds a side that words the topic otherwise (供暖 in the province's plan, 供热 in the city's)", async () => {
    const answer = await (await seedAsk())("供暖价格，自治区和哈密各是怎么安排的？");
    const paths = answer.citations.slice(0, 2).map((c) => `${c.region} ${c.path}`);
    expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^新疆维吾尔自治区 二、.*（七）$/), expect.stringMatching(/^哈密市 二、.*（七）$/)]));
  });

  it("finds each place's own clause on the topic named in the question's words", async () => {
    const answer = await (await seedAsk())("规范监管执法这块，自治区方案和哈密方案各有什么硬性要求？");
    const paths = answer.citations.slice(0, 2).map((c) => `${c.region} ${c.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([expect.stringMatching(/^新疆维吾尔自治区 四、.*（十八）$/), expect.stringMatching(/^哈密市 四、.*（十七）$/)]),
    );
  });
});

describe("documents named by place and kind", () => {
  it("answers from the document named (市监局的措施), not from another plan of the same place", async () => {
    const answer = await (await seedAsk())("市监局的措施里，对企业开办有什么规定？");
    expect(answer.citations[0].docNumber).toBe("新市监机〔2023〕83号");
    expect(answer.body).toContain("3个工作日");
  });

  it("answers 自治区 alone from the province's own clause, not beside a city's plan that says the same", async () => {
    const answer = await (await seedAsk())("自治区对招投标保证金有什么规定？");
    expect(answer.citations[0].docNumber).toBe("新政办发〔2023〕5号");
    expect(answer.body).not.toContain("哈密市：");
  });

  it("sets nothing side by side when one name answers to two places' plans (降成本方案)", async () => {
    const answer = await (await seedAsk())("降成本方案里中介服务收费是怎么要求的？");
    expect(answer.body.split("\n")[0]).not.toMatch(/^自治区：.*；哈密市：/);
  });

  it("compares plans named together, and does not take 出台 of the topic for a question about a document", async () => {
    const answer = await (await seedAsk())("出台涉企政策前听取企业意见，自治区和哈密的方案分别怎么要求？");
    expect(answer.citations[0].path).not.toBe("文件首部");
    expect(answer.body).toContain("听证会");
  });
});

describe("a city's own version of its province's measure", () => {
  it("is answered beside the province's, never said to be missing", async () => {
    const answer = await (await seedAsk())("哈密的商户刷卡手续费有没有人管？");
    const cited = answer.citations.slice(0, 2).map((c) => `${c.region} ${c.path}`);
    expect(cited).toEqual(expect.arrayContaining([expect.stringMatching(/^哈密市 二、.*（八）$/), expect.stringMatching(/^新疆维吾尔自治区 二、.*（八）$/)]));
    expect(answer.body).not.toContain("没有找到哈密市的专门规定");
  });
});

describe("tasks a unit leads", () => {
  it("lists those the question speaks of first when the unit leads more than a lead holds", async () => {
    const answer = await (await seedAsk())("克拉玛依市政务服务和公共资源交易中心牵头的任务里，电子保函系统那项什么时候完成？");
    expect(answer.citations[0].text).toContain("电子保函");
    expect(answer.body.slice(0, 300)).toContain("8月底");
  });
});
