import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../test/helpers.js";
import { regionPath } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { classifiedMeasures } from "./classified.js";
import { beneficiaryCoverage, coverageLine } from "./coverage.js";
import { matchAnswer } from "./match-answer.js";
import { allItems, type MatchResult, matchMeasures } from "./match-measures.js";
import { vocabulary } from "./vocabulary.js";

let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

const PLACES = ["新疆维吾尔自治区", "克拉玛依市", "哈密市"];
const ENTITY_TYPES = vocabulary.entityTypes.map((e) => e.id);
const short = (id: string) => id.replace(/^.*-(\d+-\d+)$/, "$1");
const ids = (result: MatchResult) => allItems(result).map((item) => short(item.measureId));

describe("matchMeasures for each entity type in each place of the seed", () => {
  const cases = ENTITY_TYPES.flatMap((entityType) => PLACES.map((region) => ({ entityType, region })));

  it.each(cases)("$entityType in $region", async ({ entityType, region }) => {
    const result = await matchMeasures({ region, entityType }, knowledgeBase, TODAY);
    const items = allItems(result);
    const shown = new Set(items.map((item) => item.measureId));
    const classified = classifiedMeasures(knowledgeBase);

    // Only this place and the places above it: a 哈密 asker never gets 克拉玛依's measures.
    for (const item of items) expect(regionPath(region)).toContain(item.region);
    // No internal tasks unless asked for.
    expect(result.internal).toEqual([]);
    expect(items.every((item) => item.kind !== "internal")).toBe(true);
    // Ended measures apart and labelled; none of them among those in force.
    for (const item of result.ended.flatMap((g) => g.items)) expect(item).toMatchObject({ status: "ended", validityLabel: "已到期" });
    for (const item of result.groups.flatMap((g) => g.items)) expect(item.status).not.toBe("ended");
    // Every measure in the place (or above) that names this entity type, or every market player, is there, cited.
    for (const measure of knowledgeBase.corpus.measures) {
      const document = knowledgeBase.documentOf(measure);
      const c = classified.get(measure.id)!;
      if (!regionPath(region).includes(document.region) || c.benefitKind === "internal") continue;
      // A clause naming only 企业 and a sector (机动车生产企业) is for that sector: no sector was given here.
      if (c.sectors.length && c.beneficiaries.every((b) => b === "企业" || b === "个人")) continue;
      if (c.beneficiaries.includes(entityType) || c.beneficiaries.includes("所有市场主体")) expect(shown, short(measure.id)).toContain(measure.id);
    }
    for (const item of items) {
      expect(item.citation).toMatchObject({ measureId: item.measureId, region: item.region });
      expect(item.reasons[0]).toMatch(/^条款写明适用于/);
    }
    const markers = items.map((item) => item.citation.marker);
    expect(markers).toEqual(markers.map((_, i) => i + 1));
  });

  it("gives a 哈密 个体户 the 自治区 fee cut (ended, labelled) and 哈密's measures, not 克拉玛依's loans", async () => {
    const result = await matchMeasures({ region: "哈密市", entityType: "个体工商户" }, knowledgeBase, TODAY);
    const ended = result.ended.flatMap((g) => g.items).find((item) => short(item.measureId) === "1-5");
    expect(ended).toMatchObject({ kind: "fee-relief", status: "ended", validityLabel: "已到期", region: "新疆维吾尔自治区" });
    expect(ended?.reasons).toContain("新疆维吾尔自治区的措施，哈密市适用");
    expect(ids(result)).toContain("5-6");
    expect(ids(result).some((id) => id.startsWith("4-"))).toBe(false);
    expect(result.excluded.otherPlaces).toBe(74);
    const karamay = await matchMeasures({ region: "克拉玛依市", entityType: "个体工商户" }, knowledgeBase, TODAY);
    expect(ids(karamay)).toContain("4-23");
    expect(ids(karamay).some((id) => id.startsWith("5-"))).toBe(false);
  });

  it("gives a 自治区-wide profile only the 自治区's own measures", async () => {
    const result = await matchMeasures({ region: "新疆维吾尔自治区", entityType: "小微企业" }, knowledgeBase, TODAY);
    expect(allItems(result).every((item) => item.region === "新疆维吾尔自治区")).toBe(true);
    expect(ids(result)).toEqual(expect.arrayContaining(["1-7", "3-8", "1-12"]));
  });

  it("leaves out measures for other groups: a 大型企业 gets no 中小微 fee cut, a 个体户 no 外资 measure", async () => {
    const large = await matchMeasures({ region: "哈密市", entityType: "大型企业" }, knowledgeBase, TODAY);
    expect(ids(large)).not.toContain("1-5");
    expect(ids(large)).not.toContain("5-8");
    const trader = await matchMeasures({ region: "克拉玛依市", entityType: "个体工商户" }, knowledgeBase, TODAY);
    expect(ids(trader)).not.toContain("4-63");
  });

  it("keeps a clause that names only a sector for that sector: vehicle makers' registration is not a restaurant's", async () => {
    const restaurant = await matchMeasures({ region: "哈密市", entityType: "小微企业", sector: "餐饮" }, knowledgeBase, TODAY);
    expect(ids(restaurant)).not.toContain("2-9");
    const maker = await matchMeasures({ region: "哈密市", entityType: "小微企业", sector: "制造业" }, knowledgeBase, TODAY);
    expect(ids(maker)).toContain("2-9");
    expect(allItems(maker).find((item) => short(item.measureId) === "2-9")?.reasons).toContain("涉及制造业行业");
  });

  it("lists internal government tasks only on request", async () => {
    const result = await matchMeasures({ region: "克拉玛依市", entityType: "小微企业", includeInternal: true }, knowledgeBase, TODAY);
    expect(result.internal.length).toBeGreaterThan(20);
    expect(result.internal.map((item) => short(item.measureId))).toEqual(expect.arrayContaining(["4-72", "4-42", "2-50"]));
    expect(result.internal.every((item) => item.reasons[0].includes("内部工作"))).toBe(true);
  });

  it("ranks by needs: 检测费 first for a 哈密 个体户, and a 克拉玛依 loan first while it is in force", async () => {
    const fees = await matchMeasures({ region: "哈密市", entityType: "个体工商户", needs: "想少交点检测费" }, knowledgeBase, TODAY);
    expect(short(fees.ended[0].items[0].measureId)).toBe("1-5");
    expect(fees.ended[0].items[0].reasons).toContain("与您的需求“想少交点检测费”相关");
    const loans = await matchMeasures({ region: "克拉玛依市", entityType: "个体工商户", needs: "贷款" }, knowledgeBase, "2023-06-01");
    expect(loans.groups[0].kind).toBe("financing");
    expect(short(loans.groups[0].items[0].measureId)).toBe("4-23");
  });
});

describe("matchAnswer", () => {
  it("renders a short grouped list, most useful first, ended apart, with citations and a line saying how many more", async () => {
    const result = await matchMeasures({ region: "哈密市", entityType: "个体工商户", sector: "餐饮", needs: "检测费" }, knowledgeBase, TODAY);
    const answer = matchAnswer(result, knowledgeBase, { question: "我是哈密的个体户，开饭馆的，想少交点检测费，有什么政策？" });
    expect(answer).toMatchObject({ refused: false, confidence: "answer", mode: "extractive" });
    expect(answer.body).toMatch(/^根据您的情况（哈密市 · 个体工商户 · 餐饮）/);
    expect(answer.body).toContain("【减费降费】");
    expect(answer.body).toContain("【已到期，仅供参考】");
    expect(answer.body).toMatch(/另有\d+条可能适用的措施未列出/);
    const listed = answer.body.split("\n").filter((line) => /^\d+\. /.test(line));
    expect(listed.length).toBeLessThanOrEqual(11);
    expect(answer.citations.map((c) => c.marker)).toEqual(listed.map((_, i) => i + 1));
    const fee = answer.citations.find((c) => c.measureId?.endsWith("-1-5"));
    expect(fee?.status).toBe("ended");
    expect(answer.text).toContain("新市监机〔2023〕83号");
    expect(answer.notices.some((n) => n.kind === "validity")).toBe(true);
    expect(answer.resolvedQuestion).toContain("检测费");
  });

  it("refuses a place the knowledge base does not cover, naming what it covers", async () => {
    const result = await matchMeasures({ region: "上海市", entityType: "个体工商户" }, knowledgeBase, TODAY);
    const answer = matchAnswer(result, knowledgeBase);
    expect(answer).toMatchObject({ refused: true, refusal: { reason: "other-region" }, citations: [] });
    expect(answer.body).toContain("哈密市");
  });

  it("says so when no place was given, listing 自治区-wide measures only", async () => {
    const result = await matchMeasures({ entityType: "小微企业" }, knowledgeBase, TODAY);
    const answer = matchAnswer(result, knowledgeBase);
    expect(allItems(result).every((item) => item.region === "新疆维吾尔自治区")).toBe(true);
    expect(answer.notices.map((n) => n.kind)).toContain("region");
  });
});

describe("beneficiaryCoverage", () => {
  it("counts the measures that give something but name no beneficiary the vocabulary knows", async () => {
    const coverage = beneficiaryCoverage(knowledgeBase);
    expect(coverage.measures).toBe(180);
    expect(coverage.withoutBeneficiary).toBe(coverage.withoutBeneficiaryIds.length);
    expect(coverage.withoutBeneficiary).toBeLessThan(10);
    expect(coverage.internal).toBeGreaterThan(30);
    expect(coverageLine(coverage)).toMatch(/^政策匹配：180 条措施中 \d+ 条未找到适用对象/);
    expect(knowledgeBase.corpus.measures[4].fields.beneficiaries).toEqual(["个体工商户", "中小微企业"]);
  });
});
