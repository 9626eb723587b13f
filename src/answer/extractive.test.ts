import { describe, expect, it } from "vitest";
import { SEEDS_DIR, seedAsk, silentLogger, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { standaloneOrPlain } from "../ingest/standalone.js";
import { knowledgeBaseFromCorpus } from "../search/open-knowledge-base.js";
import { figureLine } from "./extractive.js";

describe("extractive answers on the seed", () => {
  it("answers 都包括哪些 with the best clause's siblings under the same heading, each in the lead", async () => {
    const answer = await (await seedAsk())("政法委的措施里，打击各种损害企业利益的违法犯罪都包括哪些？");
    const lead = answer.text.slice(0, 300);
    // 三、打击违法犯罪 › 16.–19.: not only the best clause (欺行霸市…) but its neighbours the caller asked for.
    expect(lead).toContain("敲诈勒索");
    expect(lead).toContain("串通投标");
    expect(lead).toContain("电信");
    expect(lead).toContain("商标权");
  });

  it("takes a sibling scoring a little over a third of the best clause, as other clauses of a kind are taken", async () => {
    const answer = await (await seedAsk())("政法委那50条里，对企业和企业家采取查封财产、抓人这些强制措施，有哪些从宽从轻的规定？");
    const lead = answer.text.slice(0, 300);
    expect(lead).toContain("活封");
    // 24. 稳慎适用人身性强制措施, beside 23. 审慎适用财产性强制措施.
    expect(lead).toContain("少捕慎诉慎押");
  });

  it("reads 现在还有吗 as asking whether a measure runs today: a task's 完成时限 is said first", async () => {
    const answer = await (await seedAsk())("哈密对集装箱车辆64折的通行费优惠现在还有吗？");
    expect(answer.body.split("\n")[0]).toContain("2023年12月30日完成");
    expect(answer.body).toContain("不是政策的有效期");
    // "以后还能再开吗" asks what may be done, not about dates: no period line.
    const capability = await (await seedAsk())("个体工商户歇业以后还能再开吗？");
    expect(capability.text).not.toContain("有效期");
  });

  it("reads 啥时候要完成 as asking for the 完成时限, in a follow-up too", async () => {
    const answer = await (await seedAsk())("啥时候要完成？", [{ question: "克拉玛依新建商品房交房即交证是哪个部门牵头？" }]);
    expect(answer.body.split("\n")[0]).toBe("完成时限为2023年12月底前[1]。");
  });
});

describe("clauses of a kind", () => {
  it("leaves out a clause listed beside the best one when neither it nor their shared heading names what is asked", async () => {
    // Under 二、规范涉企收费，减轻企业负担 the clauses on 金融服务收费 and 物流服务收费 are of another kind of fee.
    const answer = await (await seedAsk())("水电气暖这些市政公用服务的收费，哈密都有哪些规定？");
    const lead = answer.body.split("\n")[0];
    expect(answer.body).toContain("市政公用服务");
    expect(lead).not.toContain("金融服务收费");
    expect(lead).not.toContain("64折");
  });

  it("keeps a clause listed beside the best one that answers the part of the question the best one leaves out", async () => {
    // 31. speaks of 信用评价, 30. of 信用承诺: both are asked for, though the shared heading names neither.
    const answer = await (await seedAsk())("克拉玛依关于信用评价和信用承诺都有什么工作安排？");
    expect(answer.body).toContain("公共信用综合评价");
    expect(answer.body).toContain("告知承诺");
  });

  it("leaves out a clause listed beside the best one that names another body than the one asked about", async () => {
    // 产品质量监督检验研究院 is listed under the same heading as 纤维质量监测中心, and offers its own relief.
    const answer = await (await seedAsk())("自治区纤维质量监测中心都有哪些检测优惠？");
    expect(answer.citations[0].text).toContain("纤维质量监测中心");
    expect(answer.body.split("\n")[0]).not.toContain("产品质量监督检验研究院");
    expect(answer.body).toContain("口罩");
  });
});

describe("the figures line of several clauses", () => {
  /** A notice as staff upload it: each clause's heading states its figure, and the parser keeps the heading in the text. */
  const NOTICE = [
    "示例市关于减轻小微企业负担的若干措施",
    "示例政发〔2024〕3号",
    "一、担保费减半。对小微企业的融资担保费减半收取。",
    "二、检测费减免40%。对小微企业送检的产品减免40%的检验检测费。",
    "三、房租减免百分之二十。对租用国有房屋的小微企业，房租减免百分之二十。",
    "示例市人民政府",
    "2024年3月1日",
  ].join("\n");

  it("says each figure once, though a clause's heading already states it", async () => {
    const { parsed } = standaloneOrPlain(NOTICE, "notice.txt");
    const seed = buildCorpus(loadSeedFiles(SEEDS_DIR));
    const corpus = { ...seed, documents: [...seed.documents, ...parsed.documents], measures: [...seed.measures, ...parsed.measures] };
    const knowledgeBase = await knowledgeBaseFromCorpus(corpus, { indexDir: temporaryDirectory(), logger: silentLogger, buildIn: "main" });
    const answer = await createAsk({ knowledgeBase, today: () => "2024-06-01" })("示例市小微企业能减免多少费用？");
    const lead = answer.body.split("\n")[0];
    expect(lead).toContain("检测费减免40%[");
    expect(lead).toContain("担保费减半[");
    expect(lead).toContain("房租减免百分之二十[");
    expect(lead).not.toMatch(/40%40%|减半减半|百分之二十百分之二十/);
  });

  it("drops a figure that is part of a longer one", () => {
    expect(figureLine("检验检测费", ["30%-50%", "30%", "30%-50%"])).toBe("检验检测费30%-50%");
    expect(figureLine("担保费", ["减半", "200万元"])).toBe("担保费减半、200万元");
    expect(figureLine("推动降低物流服务收费", ["免收"])).toBe("推动降低物流服务收费，免收");
  });

  it("tells two places' clauses under one heading apart by their place", async () => {
    const answer = await (await seedAsk())("物流企业的运费能便宜多少？");
    const lead = answer.body.split("\n")[0];
    // What is free is said with it (免收车辆通行费), and a discount in 折 is a figure too.
    expect(lead).toMatch(/自治区：推动降低物流服务收费，免收车辆通行费\[\d\]/);
    expect(lead).toMatch(/哈密市：推动降低物流服务收费64折、免收车辆通行费\[\d\]/);
  });
});

describe("asked by when", () => {
  it("gives a clause's date from its text when it has no 完成时限 field", async () => {
    const answer = await (await seedAsk())("惠企政策专区要求什么时候前设好？");
    expect(answer.body.split("\n")[0]).toMatch(/自治区：要求2023年3月底前完成\[\d\]/);
  });
});
