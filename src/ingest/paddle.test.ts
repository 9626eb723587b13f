import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IN_CI } from "../../test/ci.js";
import { temporaryDirectory } from "../../test/helpers.js";
import { expectedClauses, FIDELITY_NOTICE } from "./__fixtures__/fidelity-notice.js";
import { hasProgram, noticeLines } from "./__fixtures__/fidelity-producers.js";
import { scoreReading } from "./__fixtures__/fidelity-score.js";
import { makeImagePdf, makePdf } from "./__fixtures__/make-pdf.js";
import { makeScannedPdf } from "./__fixtures__/make-scan.js";
import { REGULATION_TITLE, regulationPages } from "./__fixtures__/regulation.js";
import { scanOf } from "./__fixtures__/scan-variants.js";
import { IngestError } from "./errors.js";
import { ingestDocument } from "./ingest.js";
import { ocrBrackets, ReadStoppedError } from "./ocr.js";
import { linesByPosition, type PaddleLine, paddleAvailability } from "./paddle.js";

/** A box from its left, top, right and bottom, as PP-OCRv4 gives its four corners. */
const box = (text: string, [left, top, right, bottom]: number[]): PaddleLine => ({
  text,
  mean: 0.99,
  box: [
    [left, top],
    [right, top],
    [right, bottom],
    [left, bottom],
  ],
});

/** A stand-in for paddle-ocr.mjs: the Node program `code`, run as the real one is. */
function paddleScript(code: string): string {
  const path = join(temporaryDirectory(), "paddle-stand-in.mjs");
  writeFileSync(path, code);
  return path;
}

/** A tesseract stand-in that reads every page as `line`. */
function tesseractReading(line: string): string {
  const path = join(temporaryDirectory(), "tesseract");
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--list-langs" ]; then echo chi_sim; exit 0; fi\necho '${line}'\n`, { mode: 0o755 });
  return path;
}

const tinyPng = () => Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==", "base64");

describe("OCR layout from PP-OCRv4's boxes", () => {
  it("reads a two-column page column by column, the title across both first", () => {
    const left = ["一、左栏第一行文字内容较长", "左栏第二行文字内容也较长", "左栏第三行文字内容也较长", "左栏第四行文字内容也较长"];
    const right = ["二、右栏第一行文字内容较长", "右栏第二行文字内容也较长", "右栏第三行文字内容也较长", "右栏第四行文字内容也较长"];
    const boxes = [
      box("关于两栏排版的通知标题横跨两栏居中排列的一行", [100, 40, 1300, 80]),
      ...left.map((text, i) => box(text, [100, 120 + i * 50, 660, 150 + i * 50])),
      ...right.map((text, i) => box(text, [740, 120 + i * 50, 1300, 150 + i * 50])),
    ];
    expect(linesByPosition(boxes.reverse())).toEqual(["关于两栏排版的通知标题横跨两栏居中排列的一行", ...left, ...right]);
  });

  it("reads a table scanned askew row by row: the boxes are turned back by their slope before rows are formed", () => {
    // Turned 3°: the right cell of a row sits 40 pixels lower than the left one, as far as the next row.
    const [cos, sin] = [Math.cos((3 * Math.PI) / 180), Math.sin((3 * Math.PI) / 180)];
    const at = (x: number, y: number) => [x * cos - y * sin, x * sin + y * cos];
    const cell = (text: string, left: number, top: number): PaddleLine => ({
      text,
      mean: 0.99,
      box: [at(left, top), at(left + text.length * 32, top), at(left + text.length * 32, top + 30), at(left, top + 30)],
    });
    const rows = [
      ["项目", "责任单位"],
      ["房屋租金减免", "市国资委"],
      ["检验检测费用", "市市场监管局"],
    ];
    const boxes = rows.flatMap(([left, right], i) => [cell(left, 100, 100 + i * 40), cell(right, 900, 100 + i * 40)]);
    expect(linesByPosition(boxes.reverse())).toEqual(rows.map((row) => row.join(" | ")));
  });

  it("keeps a table row's cells apart, whether PP-OCRv4 boxed them apart or wrote the blank between them as a space", () => {
    expect(linesByPosition([box("项目 标准 责任单位", [100, 100, 1000, 130])])).toEqual(["项目 | 标准 | 责任单位"]);
    expect(linesByPosition([box("房屋租金减免", [100, 200, 300, 230]), box("减免3个月租金，比例40%", [500, 201, 900, 231])])).toEqual([
      "房屋租金减免 | 减免3个月租金，比例40%",
    ]);
    // Digits and Latin words keep their space; nothing is added to a line without one.
    expect(linesByPosition([box("GB/T 33190 标准", [100, 100, 600, 130])])).toEqual(["GB/T 33190 | 标准"]);
    expect(linesByPosition([box("个月的费用缓缴期", [100, 100, 600, 130])])).toEqual(["个月的费用缓缴期"]);
  });

  it("mends brackets OCR reads half-width on one side", () => {
    expect(ocrBrackets("(一）减免房屋租金")).toBe("（一）减免房屋租金");
    expect(ocrBrackets("（二)降低用电成本")).toBe("（二）降低用电成本");
    expect(ocrBrackets("吐政发〔2025]8号")).toBe("吐政发〔2025〕8号");
    expect(ocrBrackets("比例(40%)不变")).toBe("比例(40%)不变");
  });
});

describe("choosing the engine", () => {
  it("falls back to tesseract for a page PaddleOCR fails on", async () => {
    const failing = paddleScript('process.stderr.write("onnxruntime: bad model"); process.exit(1);\n');
    const result = await ingestDocument({
      name: "scan.png",
      bytes: tinyPng(),
      ocr: { engine: "paddle", paddle: { script: failing }, tesseract: tesseractReading("关于测试的通知") },
    });
    expect(result.ocr).toBe(true);
    expect(result.text).toContain("关于测试的通知");
  });

  it("with the fallback off, PaddleOCR's failure fails the read in Chinese, naming the file and page", async () => {
    const failing = paddleScript("process.exit(3);\n");
    const error = await ingestDocument({ name: "scan.png", bytes: tinyPng(), ocr: { engine: "paddle", only: true, paddle: { script: failing } } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toMatch(/^scan\.png：第 1 页 OCR 识别失败（.* exited with 3/);
  });

  it("a page PaddleOCR does not finish in time fails the read (tesseract is not tried: it would take as long again), its process killed", async () => {
    const hung = paddleScript("setInterval(() => undefined, 1000);\n");
    const children: ChildProcess[] = [];
    const error = await ingestDocument({
      name: "scan.png",
      bytes: tinyPng(),
      ocr: { engine: "paddle", paddle: { script: hung }, tesseract: tesseractReading("不应读到"), pageTimeoutMs: 500, onChild: (c) => children.push(c) },
    }).catch((e) => e);
    expect(error.message).toBe("scan.png: OCR did not finish page 1 within 0.5 s; try again, or upload a smaller or clearer scan");
    const paddle = children.find((c) => c.spawnargs.includes(hung))!;
    expect(paddle.signalCode).toBe("SIGKILL");
    expect(children.filter((c) => !c.spawnargs.includes("--list-langs") && c !== paddle)).toEqual([]);
  });

  it("a stopped read kills PaddleOCR at once", async () => {
    const hung = paddleScript("setInterval(() => undefined, 1000);\n");
    const abort = new AbortController();
    const started: ChildProcess[] = [];
    const onChild = (child: ChildProcess) => {
      if (!child.spawnargs.includes(hung)) return;
      started.push(child);
      abort.abort();
    };
    const error = await ingestDocument({
      name: "scan.pdf",
      bytes: await makeImagePdf(tinyPng()),
      signal: abort.signal,
      ocr: { engine: "paddle", only: true, paddle: { script: hung }, onChild },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ReadStoppedError);
    // The read settles only once the child has exited.
    expect(started.map((child) => child.signalCode)).toEqual(["SIGKILL"]);
  });
});

const canPaddle = paddleAvailability().ok && hasProgram("pdftoppm");

describe.skipIf(!canPaddle && !IN_CI)("PP-OCRv4 on a real scan", () => {
  it("reads a scanned page into the regulation's title and articles", async () => {
    const scan = await makeScannedPdf(regulationPages()[0].slice(0, 8));
    const result = await ingestDocument({ name: "scan.pdf", bytes: scan, ocr: { engine: "paddle", only: true } });
    expect(result.ocr).toBe(true);
    expect(result.parsed.documents[0].title.replace(/\s+/g, "")).toBe(REGULATION_TITLE.replace(/\s+/g, ""));
    expect(result.parsed.measures.map((m) => m.marker)).toEqual(expect.arrayContaining(["第一条", "第二条", "第三条"]));
    expect(result.text.replace(/\s+/g, "")).toContain("贷款市场报价利率的50%给予贴息");
  }, 120_000);

  // The bench's 150 dpi speckled scan (2% of pixels flipped): specks cost PP-OCRv4 the thin 一 of 一、, a line's
  // last 。 and put a colon after the 文号, so the parser found 1 clause of 10 and no 文号.
  it("reads the notice's speckled 150 dpi scan with its 文号 and every clause in its place", async () => {
    const printed = await makePdf(noticeLines(), { fontSize: 12, header: "吐鲁番市人民政府文件", pageNumbers: true });
    const scan = await scanOf(printed, temporaryDirectory(), 150, "noisy");
    const result = await ingestDocument({ name: "通知-扫描-150-noisy.pdf", bytes: scan, ocr: { engine: "paddle", only: true } });
    expect(result.parsed.documents[0].docNumber).toBe(FIDELITY_NOTICE.docNumber);
    expect(result.parsed.measures.map((m) => m.path.join(" › "))).toEqual(expectedClauses().map((clause) => clause.path));
    // At 150 dpi PP-OCRv4 also drops the ， that ends one wrapped line of （一） on the clean scan: 9 of 10 word for word.
    expect(scoreReading(result).clausesFound).toBeGreaterThanOrEqual(9);
  }, 240_000);
});
