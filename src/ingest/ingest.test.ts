import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IN_CI } from "../../test/ci.js";
import { makeDocx } from "./__fixtures__/make-docx.js";
import { makeImagePdf, makePdf } from "./__fixtures__/make-pdf.js";
import { REGULATION_TITLE, regulationPages } from "./__fixtures__/regulation.js";
import { standaloneSeedDocument } from "./__fixtures__/seed-documents.js";
import { IngestError } from "./errors.js";
import { ingestDocument } from "./ingest.js";
import { ocrAvailability } from "./ocr.js";

const normalise = (text: string) => text.replace(/\s+/g, "");

/** The seed's document read back from a generated file: same measures, same texts, pages shifted to the file's own. */
function expectSameAsSeed(ordinal: number, result: Awaited<ReturnType<typeof ingestDocument>>) {
  const seed = standaloneSeedDocument(ordinal);
  const { documents, measures } = result.parsed;
  expect(result.policy).toBe(true);
  expect(documents).toHaveLength(1);
  expect(documents[0].title).toBe(seed.document.title);
  expect(documents[0].docNumber).toBe(seed.document.docNumber);
  expect(documents[0].date).toBe(seed.document.date);
  expect(measures).toHaveLength(seed.measures.length);
  const identical = measures.filter((m, i) => normalise(m.text) === normalise(seed.measures[i].text)).length;
  expect(identical / measures.length).toBeGreaterThanOrEqual(0.95);
  measures.forEach((m, i) => {
    expect(m.path.at(-1)).toBe(seed.measures[i].path.at(-1));
    expect(m.pages).toEqual(seed.measures[i].pages.map((page) => seed.seedPages.indexOf(page) + 1));
  });
}

describe("ingest: each format into the one parser", () => {
  it("a PDF with a text layer gives the seed's measures, pages and fields; running header and page numbers are dropped", async () => {
    const seed = standaloneSeedDocument(1);
    const pdf = await makePdf(seed.pages, { header: "惠企政策汇编（内部资料）", pageNumbers: true });
    const result = await ingestDocument({ name: "市场监管局十二条.pdf", bytes: pdf });
    expect(result.format).toBe("pdf");
    expect(result.pageCount).toBe(seed.pages.length);
    expectSameAsSeed(1, result);
    expect(result.text).not.toMatch(/惠企政策汇编|— \d+ —/);
    const fees = result.parsed.measures.find((m) => m.text.includes("减免30%-50%"))!;
    expect(fees.fields.period).toMatchObject({ from: "2023-05-01", to: "2023-08-31" });
    expect(result.warnings).toEqual([]);
  });

  it("a Word file gives the seed's measures with pages from its page breaks; a table becomes text rows", async () => {
    const seed = standaloneSeedDocument(3);
    const docx = await makeDocx(seed.pages, [
      ["事项", "承诺时限", "牵头部门"],
      ["企业开办", "1个工作日", "自治区市场监管局"],
    ]);
    const result = await ingestDocument({ name: "降成本方案.docx", bytes: docx });
    expect(result.format).toBe("docx");
    expectSameAsSeed(3, result);
    // One row, one line, cells kept apart.
    expect(result.text).toContain("\n事项 | 承诺时限 | 牵头部门\n企业开办 | 1个工作日 | 自治区市场监管局");
  });

  it("a 第X条 regulation: chapters and articles are the outline, items inside an article are its clauses, an 附件 numbers afresh", async () => {
    const result = await ingestDocument({ name: "首贷贴息办法.pdf", bytes: await makePdf(regulationPages()) });
    const [document] = result.parsed.documents;
    expect(document).toMatchObject({ title: REGULATION_TITLE, docNumber: "昌市政办发〔2024〕7号", date: "2024-02-20" });
    expect(document.region).toMatch(/昌吉/);
    const paths = result.parsed.measures.map((m) => m.path.join(" › "));
    expect(paths).toContain("第一章总则 › 第一条");
    expect(paths).toContain("第二章贴息标准 › 第四条申请首贷贴息应当提交下列材料 › （二）");
    expect(paths).toContain("第三章附则 › 第六条");
    expect(paths).toContain("附件首贷贴息申请流程 › 二、");
    const interest = result.parsed.measures.find((m) => m.marker === "第三条")!;
    expect(interest.text).toBe("小微企业首次从银行取得流动资金贷款的，按贷款市场报价利率的50%给予贴息，每户每年贴息最高不超过8万元。");
    expect(interest.fields).toMatchObject({ percentages: ["50%"], amounts: ["8万元"] });
    expect(interest.pages).toEqual([1]);
    // The title names no issuer: the signature above the date does, and gives the place.
    expect(document.issuer).toBe("昌吉市人民政府办公室");
    const review = result.parsed.measures.find((m) => m.marker === "第五条")!;
    expect(review.pages).toEqual([2]);
    expect(review.fields.leadUnit).toBe("市财政局");
  });

  it("a web page: the article body, not the site's menus, breadcrumb or footer; its table as rows", async () => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${REGULATION_TITLE}_昌吉市人民政府网</title></head><body>
      <div class="top-nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hdjl">互动交流</a></div>
      <div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
      <h1>${REGULATION_TITLE}</h1>
      <div id="zoom">${regulationPages()
        .flat()
        .slice(1)
        .map((line) => `<p>${line}</p>`)
        .join("\n")}
        <table><tr><td>贷款金额</td><td>贴息比例</td></tr><tr><td>500万元以下</td><td>50%</td></tr></table></div>
      <div class="footer">主办：昌吉市人民政府办公室 网站标识码6523010001 新ICP备12345678号</div>
      <ul class="sidebar-menu"><li>热点专题</li><li>政策解读</li></ul></body></html>`;
    const result = await ingestDocument({ name: "page.html", bytes: new TextEncoder().encode(html) });
    expect(result.format).toBe("html");
    expect(result.parsed.documents[0].title).toBe(REGULATION_TITLE);
    expect(result.text).not.toMatch(/首页|政务公开|网站标识码|热点专题|当前位置/);
    expect(result.parsed.measures.map((m) => m.marker)).toContain("第六条");
    expect(result.text).toContain("500万元以下 | 50%");
  });

  it("a file that is not a policy is indexed as paragraphs, with a warning", async () => {
    const text = "# Page 1:\n本周天气晴好，气温回升。\n周末市民可以到公园踏青赏花，注意防晒补水。\n下周预计有小雨，出行请携带雨具。";
    const result = await ingestDocument({ name: "weather.txt", bytes: new TextEncoder().encode(text) });
    expect(result.policy).toBe(false);
    expect(result.parsed.documents[0].format).toBe("plain");
    // Cited by where it is printed, never by a count of paragraphs no copy shows.
    expect(result.parsed.measures.map((m) => m.path.join(" › "))).toEqual(["第1页"]);
    expect(result.warnings.join("\n")).toMatch(/^weather\.txt：看起来不是政策文件（开头附近没有.*），已按段落收录/m);
    // A notice-like title is not enough: without numbered clauses it is paragraphs too.
    const invitation = "关于举办企业家座谈会的通知\n各有关企业：\n定于下周三上午在市政府三楼会议室召开座谈会，请准时参加。\n联系人：王先生";
    const titled = await ingestDocument({ name: "invitation.txt", bytes: new TextEncoder().encode(invitation) });
    expect(titled.policy).toBe(false);
    expect(titled.warnings.join("\n")).toMatch(/^invitation\.txt：看起来不是政策文件（找到标题《关于举办企业家座谈会的通知》，但编号条款少于 2 条）/m);
  });

  it("warns about a missing 文号, a numbering gap, an over-long clause and OCR noise", async () => {
    const lines = [
      "关于支持个体工商户发展的若干措施",
      "一、减免房租。对承租国有房屋的个体工商户减免3个月租金。",
      "二、降低费用。",
      "（一）免收登记费。",
      "（二）免收年检费。",
      "（四）免收检测费。",
      `三、加强服务。${"提供帮办代办服务，".repeat(180)}`,
      "四、其他。a|b_c~ d=e x y z {w} <q> #1 @2 $ & * ^ ` \\ ¦ f g h i j k l m n o p",
    ];
    const result = await ingestDocument({ name: "gaps.txt", bytes: new TextEncoder().encode(lines.join("\n")) });
    const warnings = result.warnings.join("\n");
    // Every warning is in Chinese and names the uploaded file.
    expect(result.warnings.every((warning) => warning.startsWith("gaps.txt"))).toBe(true);
    expect(warnings).toMatch(/没有找到文号/);
    expect(warnings).toMatch(/标题和落款中没有找到地区/);
    expect(warnings).toMatch(/编号不连续——（二）之后是（四），缺少（三）/);
    expect(warnings).toMatch(/gaps\.txt 三、：共 \d+ 字，超过 1500 字/);
    expect(warnings).toMatch(/文字像是 OCR 噪声/);
    expect(warnings.replaceAll("gaps.txt", "")).not.toMatch(/[a-z]{4,}/);
  });

  it("refuses an old .doc and a binary file, naming what to do", async () => {
    const doc = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(ingestDocument({ name: "old.doc", bytes: doc })).rejects.toThrow(/另存为 \.docx/);
    await expect(ingestDocument({ name: "x.bin", bytes: new Uint8Array([1, 2, 0, 3]) })).rejects.toMatchObject({ code: "UNSUPPORTED_TYPE" });
  });

  it("a scanned PDF without tesseract says it needs OCR, never an empty document", async () => {
    const scan = await makeImagePdf(tinyPng());
    const error = await ingestDocument({ name: "scan.pdf", bytes: scan, ocr: { engine: "tesseract", only: true, tesseract: "/nonexistent/tesseract" } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe("OCR_UNAVAILABLE");
    expect(error.message).toMatch(
      /scan\.pdf is a scanned document .* needs OCR, but tesseract is not installed; install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim/,
    );
  });

  it("a page tesseract does not finish in time fails the read, saying which page, instead of waiting forever", async () => {
    const folder = mkdtempSync(join(tmpdir(), "relief-hung-"));
    try {
      const hung = join(folder, "tesseract");
      writeFileSync(hung, '#!/bin/sh\nif [ "$1" = "--list-langs" ]; then echo chi_sim; exit 0; fi\nexec sleep 30\n', { mode: 0o755 });
      const error = await ingestDocument({ name: "scan.png", bytes: tinyPng(), ocr: { engine: "tesseract", tesseract: hung, pageTimeoutMs: 300 } }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(IngestError);
      expect(error.message).toBe("scan.png: OCR did not finish page 1 within 0.3 s; try again, or upload a smaller or clearer scan");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

const hasOcr =
  (await ocrAvailability({ engine: "tesseract", only: true })).ok &&
  (() => {
    try {
      execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

describe.skipIf(!hasOcr && !IN_CI)("ingest: a scanned page through tesseract", () => {
  it("reads one scanned page (an image-only PDF) into the regulation's title and articles", async () => {
    const folder = mkdtempSync(join(tmpdir(), "relief-scan-"));
    try {
      // Print the first page large, render it to an image, and wrap the image in a PDF with no text layer.
      const printed = await makePdf([regulationPages()[0].slice(0, 8)], { fontSize: 16 });
      const pdfPath = join(folder, "printed.pdf");
      execFileSync("sh", ["-c", `cat > '${pdfPath}'`], { input: printed });
      execFileSync("pdftoppm", ["-r", "150", "-gray", "-png", "-singlefile", pdfPath, join(folder, "page")]);
      const scan = await makeImagePdf(readFileSync(join(folder, "page.png")));
      const result = await ingestDocument({ name: "scan.pdf", bytes: scan, ocr: { engine: "tesseract", only: true } });
      expect(result.ocr).toBe(true);
      expect(result.warnings.join("\n")).toMatch(/^scan\.pdf：由 OCR 识别/m);
      expect(normalise(result.parsed.documents[0].title)).toBe(REGULATION_TITLE);
      const articles = result.parsed.measures.map((m) => m.marker);
      expect(articles).toEqual(expect.arrayContaining(["第一条", "第二条", "第三条"]));
      expect(normalise(result.text)).toContain("贷款市场报价利率的50%给予贴息");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 30_000);
});

/** A 1×1 white PNG: a page that is only an image. */
function tinyPng(): Buffer {
  return Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==", "base64");
}
