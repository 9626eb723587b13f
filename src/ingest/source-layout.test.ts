import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getDocumentProxy } from "unpdf";
import { afterAll, describe, expect, it } from "vitest";
import { IN_CI } from "../../test/ci.js";
import type { Measure } from "../types.js";
import { FIDELITY_NOTICE, noticeSourceText } from "./__fixtures__/fidelity-notice.js";
import { hasProgram, noticeLines, PRODUCERS } from "./__fixtures__/fidelity-producers.js";
import { makeOfd } from "./__fixtures__/make-ofd.js";
import { ingestDocument } from "./ingest.js";
import type { PageLine } from "./page-lines.js";
import { type ClauseRect, type MeasuredPage, sourceLayout } from "./source-layout.js";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const squeeze = (text: string) => text.replace(/\s+/g, "");
const clauses = FIDELITY_NOTICE.sections.flatMap((section) => section.clauses);
const inside = (rect: ClauseRect, page: number, x: number, y: number) =>
  rect.page === page && x >= rect.x && x <= rect.x + rect.width && y >= rect.y && y <= rect.y + rect.height;

/**
 * Where a PDF draws its text, read by pdf.js here, apart from ingest: each piece's middle (half its width along, a
 * third of its size above the baseline) from the page's top-left corner, in points.
 */
async function piecesOf(bytes: Uint8Array) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const pieces: Array<{ text: string; page: number; x: number; y: number }> = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const [x0, , , y1] = page.view;
    for (const item of (await page.getTextContent()).items) {
      if (!("str" in item) || squeeze(item.str).length < 4) continue;
      pieces.push({ text: squeeze(item.str), page: number, x: item.transform[4] - x0 + item.width / 2, y: y1 - item.transform[5] - item.height / 3 });
    }
  }
  await pdf.loadingTask.destroy();
  return pieces;
}

/** The notice's clause a measure was read from (its text is the clause's, written as the file has it). */
const clauseOf = (measure: Measure) => clauses.find((clause) => squeeze(measure.text) === squeeze(clause.text));

describe("where each clause is on its pages, recorded at ingest", () => {
  for (const producer of PRODUCERS.filter((p) => p.fileName.endsWith(".pdf"))) {
    const available = !producer.program || hasProgram(producer.program) || IN_CI;
    it.skipIf(!available)(`${producer.id}: every clause's lines, over the text the page draws for it and nothing else`, { timeout: 180_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "layout-"));
      folders.push(dir);
      const bytes = await producer.make(dir);
      const { parsed, layout } = await ingestDocument({ name: producer.fileName, bytes });
      expect(layout?.unit).toBe("pt");
      // A4 in points.
      for (const page of layout!.pages) expect([Math.round(page.width), Math.round(page.height)]).toEqual([595, 842]);
      const pieces = await piecesOf(bytes);
      const measures = parsed.measures.filter(clauseOf);
      expect(measures).toHaveLength(clauses.length);
      for (const measure of measures) {
        const rects = layout!.clauses[measure.id];
        expect(rects.length, measure.text).toBeGreaterThanOrEqual(1);
        expect(new Set(rects.map((rect) => rect.page))).toEqual(new Set(measure.pages));
        const clause = clauseOf(measure)!;
        const own = squeeze(clause.label + clause.text);
        // Everything else the notice prints: a piece found there too (减免3个月租金 is in the 附件's table) is not this clause's alone.
        const others = squeeze(noticeSourceText()).replace(own, "|");
        const lit = (piece: (typeof pieces)[number]) => rects.some((rect) => inside(rect, piece.page, piece.x, piece.y));
        // The pieces only this clause has are in its rectangles; the pieces it does not have are not.
        const mine = pieces.filter((piece) => own.includes(piece.text) && !others.includes(piece.text));
        expect(mine.length, clause.text).toBeGreaterThanOrEqual(1);
        for (const piece of mine) expect(lit(piece), `${piece.text} in ${clause.label}`).toBe(true);
        for (const piece of pieces.filter((p) => !own.includes(p.text))) expect(lit(piece), `${piece.text} not in ${clause.label}`).toBe(false);
      }
    });
  }

  it("OFD: each clause's lines where its TextObjects put them (millimetres from the top-left corner), and every piece of text kept for drawing the page", async () => {
    const pages = noticeLines();
    const { parsed, layout } = await ingestDocument({ name: "通知.ofd", bytes: makeOfd(pages) });
    expect(layout?.unit).toBe("mm");
    expect(layout!.pages.map((page) => [page.width, page.height])).toEqual([
      [210, 297],
      [210, 297],
    ]);
    // make-ofd.ts: line l of a page on the baseline 30 + l × 1.8 × size mm from the top, from x = 25 mm, characters of `size` mm.
    const size = 4.2333;
    const baseline = (line: number) => 30 + line * size * 1.8;
    for (const measure of parsed.measures.filter(clauseOf)) {
      const clause = clauseOf(measure)!;
      const own = squeeze(clause.label + clause.text);
      const rects = layout!.clauses[measure.id];
      pages[0].forEach((text, line) => {
        const mid = baseline(line) - size / 2;
        const lit = rects.some((rect) => inside(rect, 1, 25 + size, mid));
        expect(lit, `${text} ${own.includes(squeeze(text)) ? "" : "not "}in ${clause.label}`).toBe(own.includes(squeeze(text)));
      });
      for (const rect of rects) expect(rect.x).toBeCloseTo(25, 1);
    }
    // The page is drawn from every piece of text on it, its page number too; the first lines' one object a character are read as one run.
    const runs = layout!.pages[0].runs!;
    expect(runs.map((run) => run.text)).toContain("- 1 -");
    expect(runs.map((run) => run.text)).toContain(pages[0][0]);
    const first = runs.find((run) => run.text === pages[0][0])!;
    expect(first.x).toBeCloseTo(25, 1);
    expect(first.baseline).toBeCloseTo(baseline(0), 1);
    expect(first.size).toBeCloseTo(size, 2);
  });

  it("records nothing for a file without positions (a web page)", async () => {
    const page = "<html><body><h1>关于印发示例办法的通知</h1><p>一、第一条内容。</p><p>二、第二条内容。</p></body></html>";
    const { layout } = await ingestDocument({ name: "示例.html", bytes: new TextEncoder().encode(page) });
    expect(layout).toBeUndefined();
  });
});

describe("sourceLayout", () => {
  /** One line of 10-point text a line, 20 points apart, on a page 600 high. */
  const lineAt = (text: string, row: number): PageLine => ({
    text,
    left: 50,
    right: 50 + text.length * 10,
    bottom: 600 - 100 - row * 20 - 2,
    top: 600 - 100 - row * 20 + 9,
    runs: [],
  });
  const page = (...texts: string[]): MeasuredPage => ({ width: 400, height: 600, left: 0, top: 600, lines: texts.map(lineAt) });
  const measure = (id: string, text: string): Measure => ({
    id,
    documentId: "d",
    index: 0,
    marker: "",
    path: [],
    text,
    pages: [1],
    fields: {} as Measure["fields"],
  });

  it("places a sentence that repeats at the clause it is read for, in order, and a clause across a page break on both pages", () => {
    const layout = sourceLayout(
      [page("一、按规定执行。", "二、按规定", "执行。", "三、跨页的条款"), page("在这里结束。")],
      [measure("a", "按规定执行。"), measure("b", "按规定执行。"), measure("c", "跨页的条款在这里结束。")],
      "pt",
    )!;
    expect(layout.clauses.a.map((rect) => rect.y)).toEqual([91]);
    expect(layout.clauses.b.map((rect) => [rect.page, rect.y])).toEqual([
      [1, 111],
      [1, 131],
    ]);
    expect(layout.clauses.c.map((rect) => [rect.page, rect.y])).toEqual([
      [1, 151],
      [2, 91],
    ]);
    expect(layout.clauses.a[0]).toEqual({ page: 1, x: 50, y: 91, width: 80, height: 11 });
  });

  it("finds a clause whose middle the parser read differently by its ends, and leaves out one it cannot find", () => {
    const ends = "第一句话说的是十二个字啊。中间有一些文字不同，最后一句话也是十二个字。";
    const layout = sourceLayout(
      [page("第一句话说的是十二个字啊。中间有些文字", "不同，最后一句话也是十二个字。")],
      [measure("found", ends), measure("lost", "文件里没有的一句话。")],
      "pt",
    )!;
    expect(layout.clauses.found).toHaveLength(2);
    expect(layout.clauses.lost).toBeUndefined();
    expect(sourceLayout([page("毫不相干的一行。")], [measure("lost", "文件里没有的一句话。")], "pt")).toBeUndefined();
  });
});
