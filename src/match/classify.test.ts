import { describe, expect, it } from "vitest";
import { SEEDS_DIR } from "../../test/helpers.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import type { BenefitKind } from "../types.js";
import { classifyMeasure } from "./classify.js";

const corpus = buildCorpus(loadSeedFiles(SEEDS_DIR));
const byNumber = new Map(corpus.measures.map((m) => [m.id.replace(/^.*-(\d+-\d+)$/, "$1"), m]));
const classify = (number: string) => {
  const measure = byNumber.get(number);
  if (!measure) throw new Error(`no measure ${number}`);
  return classifyMeasure(measure);
};

/**
 * Read by hand from the seed: document-measure, who it is for (exactly, or at
 * least these when `includes`), and its kind of benefit.
 */
const expectations: Array<{ measure: string; beneficiaries?: string[]; includes?: string[]; kind: BenefitKind; note: string }> = [
  { measure: "1-1", beneficiaries: ["所有市场主体"], kind: "faster-procedure", note: "企业开办3个工作日内办结" },
  { measure: "1-2", beneficiaries: ["所有市场主体"], kind: "faster-procedure", note: "歇业备案，3年内恢复经营" },
  { measure: "1-4", kind: "internal", note: "全疆行政许可事项清单、窗口人员培训" },
  { measure: "1-5", beneficiaries: ["个体工商户", "中小微企业"], kind: "fee-relief", note: "检验检测费用减免30%-50%" },
  { measure: "1-6", beneficiaries: ["个体工商户", "中小微企业"], kind: "fee-relief", note: "特种设备定期检测费下浮10%" },
  { measure: "1-7", beneficiaries: ["小微企业"], kind: "fee-relief", note: "民营小微企业送检仪器减免30%" },
  { measure: "1-8", beneficiaries: ["所有市场主体"], kind: "fee-relief", note: "棉胎、口罩检测费减免，名义上对所有送检者" },
  { measure: "1-11", beneficiaries: ["小微企业"], kind: "service", note: "小微企业“把脉问诊”咨询服务" },
  { measure: "1-12", beneficiaries: ["中小微企业"], kind: "service", note: "知识产权惠企服务" },
  { measure: "2-1", kind: "internal", note: "营商环境立法" },
  { measure: "2-4", beneficiaries: ["个人"], kind: "faster-procedure", note: "居民身份证15个工作日" },
  { measure: "2-13", beneficiaries: ["企业"], kind: "legal-protection", note: "涉企诉讼审理周期" },
  { measure: "2-15", beneficiaries: ["中小微企业"], kind: "faster-procedure", note: "公证“中小微企业绿色通道”" },
  { measure: "2-26", beneficiaries: ["民营企业"], kind: "legal-protection", note: "对民营企业的执法司法措施" },
  { measure: "2-31", beneficiaries: ["中小微企业"], kind: "legal-protection", note: "拖欠中小微企业账款案件" },
  { measure: "2-39", includes: ["中小微企业", "民营企业"], kind: "service", note: "送法进民企、法治体检" },
  { measure: "2-45", kind: "internal", note: "发布典型案例" },
  { measure: "2-50", kind: "internal", note: "考核" },
  { measure: "3-5", includes: ["外资企业", "纳税人", "所有市场主体"], kind: "faster-procedure", note: "便利市场主体登记" },
  { measure: "3-8", beneficiaries: ["小微企业"], kind: "fee-relief", note: "小微企业金融服务收费优惠" },
  { measure: "3-10", includes: ["个体工商户", "小微企业", "纳税人"], kind: "fee-relief", note: "六税两费、物流税费" },
  { measure: "3-12", beneficiaries: ["建设工程项目"], kind: "faster-procedure", note: "投资和建设项目审批" },
  { measure: "3-14", includes: ["纳税人"], kind: "faster-procedure", note: "办税缴费、留抵退税" },
  { measure: "3-16", beneficiaries: ["所有市场主体"], kind: "service", note: "惠企政策专区、应享未享提醒" },
  { measure: "4-2", kind: "internal", note: "行政许可事项清单制度" },
  { measure: "4-14", beneficiaries: ["所有市场主体"], kind: "faster-procedure", note: "扩大简易注销范围" },
  { measure: "4-16", includes: ["个体工商户", "所有市场主体"], kind: "faster-procedure", note: "简易注销全程网办" },
  { measure: "4-21", beneficiaries: ["建设工程项目"], kind: "financing", note: "重要项目中长期资金" },
  { measure: "4-23", beneficiaries: ["个体工商户"], kind: "financing", note: "个体工商户免抵押免担保小额贷款、贴息" },
  { measure: "4-25", beneficiaries: ["外贸企业"], kind: "financing", note: "贸易融资" },
  { measure: "4-42", kind: "internal", note: "数据治理工作要点" },
  { measure: "4-56", includes: ["个体工商户"], kind: "service", note: "培育扶持个体工商户" },
  { measure: "4-57", beneficiaries: ["中小微企业"], kind: "service", note: "政府采购预留份额" },
  { measure: "4-58", beneficiaries: ["所有市场主体"], kind: "fee-relief", note: "阶段性缓缴社会保险费（“支持各类市场主体发展”下）" },
  { measure: "4-59", beneficiaries: ["纳税人"], kind: "fee-relief", note: "增值税留抵退税" },
  { measure: "4-63", beneficiaries: ["外资企业"], kind: "legal-protection", note: "外资企业国民待遇" },
  { measure: "4-65", beneficiaries: ["企业"], kind: "subsidy", note: "吸纳就业社会保险补贴" },
  { measure: "4-69", beneficiaries: ["个人"], kind: "subsidy", note: "困难群众社会救助" },
  { measure: "4-72", kind: "internal", note: "加强组织领导" },
  { measure: "4-73", kind: "internal", note: "完善工作机制（督办考核）" },
  { measure: "4-74", kind: "internal", note: "强化督促落实" },
  { measure: "5-7", includes: ["个人"], kind: "fee-relief", note: "非电网直供电目录电价" },
  { measure: "5-8", beneficiaries: ["小微企业"], kind: "fee-relief", note: "银行对小微企业收费减免" },
];

describe("classifyMeasure on the seed, spot-checked by hand", () => {
  it("checks at least 30 measures", () => expect(expectations.length).toBeGreaterThanOrEqual(30));

  it.each(expectations)("$measure: $note", ({ measure, beneficiaries, includes, kind }) => {
    const found = classify(measure);
    expect(found.benefitKind).toBe(kind);
    if (beneficiaries) expect(found.beneficiaries).toEqual(beneficiaries);
    if (includes) expect(found.beneficiaries).toEqual(expect.arrayContaining(includes));
  });

  it("does not count the groups a clause excepts (除…外国投资人等特殊情形外)", () => {
    expect(byNumber.get("4-16")!.text).toContain("外国投资人");
    expect(classify("4-16").beneficiaries).not.toContain("外资企业");
  });

  it("reads the units that carry a task out (牵头单位, 责任单位) as actors, not beneficiaries", () => {
    expect(byNumber.get("4-17")!.text).toMatch(/责任单位[：:].*公积金/);
    expect(classify("4-17").beneficiaries).not.toContain("个人");
  });

  it("lets a generic 企业 yield to the specific groups a clause names", () => {
    expect(byNumber.get("1-5")!.text).toContain("企业实际情况");
    expect(classify("1-5").beneficiaries).not.toContain("企业");
  });

  it("reads a sector a clause names: 机动车生产企业 is for vehicle makers", () => {
    expect(classify("2-9")).toMatchObject({ beneficiaries: ["企业"], sectors: ["制造业"] });
    expect(classify("2-10").sectors).toContain("交通运输物流");
  });

  it("reports the words that named each beneficiary, for the reason a match shows", () => {
    expect(classify("3-10").phrases).toMatchObject({ 个体工商户: "个体工商户", 小微企业: "小微企业" });
  });
});
