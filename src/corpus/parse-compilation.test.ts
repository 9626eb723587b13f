import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "./load-corpus.js";
import { parseCompilation } from "./parse-compilation.js";
import { reconstructDocument } from "./reconstruct.js";
import { compact } from "./text.js";

const SEED_NAME = "000_1a5470b786594f12.txt";
const seedText = readFileSync(new URL(`../../seeds/${SEED_NAME}`, import.meta.url), "utf8");
const corpus = buildCorpus([{ name: SEED_NAME, text: seedText }]);
const measuresOf = (ordinal: number) => corpus.measures.filter((m) => m.documentId.endsWith(`-${ordinal}`));
const measureWith = (phrase: string) => {
  const found = corpus.measures.filter((m) => m.text.includes(phrase));
  expect(found, phrase).toHaveLength(1);
  return found[0];
};

describe("the seed compilation", () => {
  it("has five documents and 180 leaf measures", () => {
    expect(corpus.documents).toHaveLength(5);
    expect([1, 2, 3, 4, 5].map((n) => measuresOf(n).length)).toEqual([12, 50, 23, 74, 21]);
    expect(corpus.measures).toHaveLength(180);
    expect(corpus.warnings).toEqual([]);
  });

  it("reads each document's title, issuer, 文号, date and region", () => {
    const rows = corpus.documents.map((d) => [d.docNumber, d.date, d.region, d.issuer]);
    expect(rows).toEqual([
      ["新市监机〔2023〕83号", "2023-05-19", "新疆维吾尔自治区", "新疆自治区市场监督管理局"],
      [undefined, "2023-02-07", "新疆维吾尔自治区", "新疆自治区党委政法委"],
      ["新政办发〔2023〕5号", "2023-01-17", "新疆维吾尔自治区", "新疆维吾尔自治区人民政府办公厅"],
      [undefined, "2023-05-10", "克拉玛依市", "克拉玛依市人民政府办公室"],
      ["哈政办发〔2023〕14号", "2023-03-29", "哈密市", "哈密市人民政府办公室"],
    ]);
    expect(corpus.documents[2].title).toBe("新疆维吾尔自治区人民政府办公厅关于印发自治区落实优化营商环境降低市场主体制度性交易成本工作方案的通知");
    expect(corpus.documents[1].shortTitle).toBe("新疆维吾尔自治区政法机关优化法治化营商环境50条措施");
    expect(corpus.documents[3].regionPath).toEqual(["克拉玛依市", "新疆维吾尔自治区"]);
    expect(corpus.documents[0].preamble).toContain("现将《自治区市场监督管理局");
  });

  it("spot-checks measure fields", () => {
    const fibre = measureWith("自治区纤维质量监测中心");
    expect(fibre.pages).toEqual([1705, 1706]);
    expect(fibre.fields.period).toMatchObject({ from: "2023-05-01", to: "2023-08-31" });
    expect(fibre.path).toEqual(["二、强化技术帮扶，大力减轻市场主体负担", "（八）"]);

    const transfer = measureWith("二手房水电气暖联合过户");
    expect(transfer.marker).toBe("18.");
    expect(transfer.heading).toBe("推行二手房水电气暖联合过户");
    expect(transfer.fields.leadUnit).toBe("市自然资源局");
    expect(transfer.fields.deadline).toMatchObject({ date: "2023-12-31", ongoing: false });
    expect(transfer.path[1]).toBe("（六）深化“互联网+不动产登记”改革");

    const legislation = measuresOf(2)[0];
    expect(legislation.heading).toBe("加快推进涉营商环境立法");
    expect(legislation.path).toEqual(["一、完善法规政策，进一步优化系统完备的制度保障体系", "1."]);

    const testingFees = measureWith("产品质量监督检验研究院");
    expect(testingFees.fields.percentages).toEqual(["30%-50%", "30%"]);

    const ongoing = measuresOf(4)[0];
    expect(ongoing.fields.deadline).toMatchObject({ date: "2023-06-30", ongoing: true });
    const guarantee = measureWith("单笔担保业务额度上限");
    expect(guarantee.fields.amounts).toContain("6000万元");
  });

  it("survives a marker alone on its line", () => {
    const fourth = measuresOf(1)[3];
    expect(fourth.marker).toBe("（四）");
    expect(fourth.text.startsWith("形成全疆统一的行政许可事项清单")).toBe(true);
  });

  it("keeps inline brackets that are not markers inside the text", () => {
    expect(measureWith("场（厂）内专用机动车辆").marker).toBe("（六）");
    expect(measureWith("深化政务服务“就近办”").path[1]).toContain("村（社区）四级");
  });

  it("tells numbered document headings from numbered measures", () => {
    expect(corpus.documents.map((d) => d.ordinal)).toEqual([1, 2, 3, 4, 5]);
    const identity = measureWith("优化身份证业务办理");
    expect(identity.marker).toBe("4.");
    expect(corpus.documents[3].title).toContain("克拉玛依市2023年“放管服”改革工作要点");
    expect(measuresOf(3).at(-1)?.text).not.toContain("克拉玛依市人民政府办公室");
  });

  it("joins sentences broken across pages without page markers", () => {
    const fibre = measureWith("自治区纤维质量监测中心");
    expect(fibre.text).toContain("实施期限为2023年5月1日至2023年8月31日。");
    expect(fibre.text).not.toMatch(/Page|#/);
    expect(measureWith("阶段性调整价格补贴联动机制").marker).toBe("71.");
  });

  it("joins a heading line that continues on the next line", () => {
    const measure = measureWith("打击侵权假冒工作要点");
    expect(measure.path[1]).toBe("（十）针对企业和群众反映强烈、侵权假冒多发的重点领域，进一步加大执法力度，严厉打击商标侵权、假冒专利等违法行为");
  });

  it("keeps the sign-off out of the last measure", () => {
    expect(measuresOf(1).at(-1)?.text).not.toContain("印发");
    expect(corpus.documents[0].closing).toContain("2023年5月19日印发");
    expect(corpus.documents[2].closing).toMatch(/^各地各部门要认真贯彻落实/);
  });

  it("loses nothing: the documents reproduce the source text", () => {
    const source = compact(seedText.replace(/^#\s*Page\s+\d+\s*:?\s*$/gm, ""));
    const { frontMatter } = parseCompilation(seedText, SEED_NAME);
    const rebuilt = compact(frontMatter + corpus.documents.map((d) => reconstructDocument(corpus, d)).join(""));
    expect(rebuilt).toBe(source);
  });
});

describe("other files", () => {
  it("indexes a file in another format as paragraphs, with a warning naming it", () => {
    const other = buildCorpus([{ name: "notes.txt", text: "关于支持小微企业的说明\n对小微企业减免房租三个月。\n\n其他事项另行通知。" }]);
    expect(other.warnings).toEqual([expect.stringContaining("notes.txt")]);
    expect(other.measures.length).toBeGreaterThan(0);
    expect(other.measures.map((m) => m.text).join("")).toContain("减免房租三个月");
  });

  it("reads a second compilation section with its own region", () => {
    const text = [
      "（六）甘肃",
      "1. 甘肃省人民政府办公厅关于印发支持市场主体发展若干措施的通知（2024 年3 月1 日）",
      "甘政办发〔2024〕12 号",
      "各市州人民政府：",
      "一、减轻负担",
      "（一）对小微企业减免检验检测费用20%，实施期限为2024 年3 月1 日至",
      "2024 年12 月31 日。",
      "（二）",
      "简化办事流程。",
    ].join("\n");
    const parsed = buildCorpus([{ name: "gansu.txt", text }]);
    expect(parsed.documents[0]).toMatchObject({ region: "甘肃省", docNumber: "甘政办发〔2024〕12号", date: "2024-03-01" });
    expect(parsed.measures.map((m) => m.marker)).toEqual(["（一）", "（二）"]);
    expect(parsed.measures[0].fields.period).toMatchObject({ from: "2024-03-01", to: "2024-12-31" });
  });
});
