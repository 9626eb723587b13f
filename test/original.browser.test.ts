import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { FIDELITY_NOTICE, noticeSourceText } from "../src/ingest/__fixtures__/fidelity-notice.js";
import { hasProgram, PRODUCERS } from "../src/ingest/__fixtures__/fidelity-producers.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const available = (existsSync(CHROMIUM) && hasProgram("chromium")) || IN_CI;
const producer = (id: string) => PRODUCERS.find((p) => p.id === id)!;

const clauses = FIDELITY_NOTICE.sections.flatMap((s) => s.clauses);
/** The clause the question is answered from: 一、减轻经营负担 › （三）减免检验检测费用. */
const CITED = clauses[2];
const squeeze = (text: string) => text.replace(/\s+/g, "");

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const contains = (box: Box, x: number, y: number) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;

/** Where the PDF's page draws each piece of text, read by pdf.js here (not by the server), in CSS pixels of a canvas `width` wide. */
async function textOnPage(pdf: Uint8Array, pageNumber: number, width: number) {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const page = await document.getPage(pageNumber);
  const [x0, , x1, y1] = page.view;
  const scale = width / (x1 - x0);
  const content = await page.getTextContent();
  const pieces = content.items.flatMap((item) =>
    "str" in item && squeeze(item.str).length >= 4
      ? [
          {
            text: squeeze(item.str),
            // The middle of the piece: half its width along, a third of its height above the baseline.
            x: (item.transform[4] - x0 + item.width / 2) * scale,
            y: (y1 - item.transform[5] - item.height / 3) * scale,
          },
        ]
      : [],
  );
  await document.loadingTask.destroy();
  return { pieces, scale };
}

/** The cited clause's highlight in the viewport (scrolled to). */
const inView = (page: Page) =>
  page.evaluate(() => {
    const box = document.getElementById("clause")?.getBoundingClientRect();
    return !!box && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  });

/** Follows the answer card's 查看原文 for the cited clause, in the tab it opens. */
async function askAndOpenOriginal(page: Page, base: string, shot: string): Promise<Page> {
  await page.goto(base);
  await page.fill("#question", "吐鲁番市小微企业的检验检测费用怎么减免？");
  await page.click("form.ask button[type=submit]");
  const turn = page.locator("article.turn").last();
  await turn.locator(".card").first().waitFor({ timeout: 20_000 });
  const card = turn.locator(".card", { hasText: "检验检测" }).first();
  const meta = await card.locator(".meta").innerText();
  expect(meta).toContain(FIDELITY_NOTICE.docNumber);
  expect(meta).toMatch(/一、减轻经营负担 › （三）/);
  expect(meta).not.toMatch(/第\d+段/);
  await page.screenshot({ path: `${ARTIFACTS}${shot}-answered.png`, fullPage: true });
  const [original] = await Promise.all([page.context().waitForEvent("page"), card.locator("a.original").click()]);
  await original.waitForLoadState();
  expect(new URL(original.url()).hash).toBe("#clause");
  expect(await original.locator("h1").innerText()).toBe(FIDELITY_NOTICE.title);
  expect(await original.locator(".number").innerText()).toContain(FIDELITY_NOTICE.docNumber);
  return original;
}

/*
 * The notice the project wrote, as staff get it: printed to PDF by Chromium and as an OFD package, uploaded on a
 * fresh data folder, previewed, published, asked about in the console, and its citation followed to the original
 * file's page with the clause highlighted where the page draws it.
 */
describe.skipIf(!available)("a PDF and an OFD upload, from preview to the highlighted clause in the original", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const data = temporaryDirectory();
    const config = loadConfig({
      SEEDS_DIR,
      INDEX_DIR: join(data, "index"),
      DATABASE_PATH: join(data, "relief.sqlite"),
      DOCUMENTS_DIR: join(data, "documents"),
      AS_OF_DATE: TODAY,
      HOST: "127.0.0.1",
    });
    const runtime = await createRuntime(config, silentLogger);
    server = await startHttpServer(runtime, 0, openSqliteStore(config.databasePath));
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Uploads one producer's file on the documents page, checks its preview (文号, every clause) and publishes it. */
  async function uploadAndPublish(page: Page, id: string, mimeType: string): Promise<Uint8Array> {
    await page.goto(`${base}/staff/documents`);
    const made = producer(id);
    const bytes = await made.make(temporaryDirectory());
    await page.setInputFiles("#files", { name: made.fileName, mimeType, buffer: Buffer.from(bytes) });
    await page.click("#upload");
    await expect.poll(() => page.locator("#preview-title").innerText(), { timeout: 30_000 }).toBe(FIDELITY_NOTICE.title);
    expect(await page.locator("#f-docNumber").inputValue()).toBe(FIDELITY_NOTICE.docNumber);
    const rows = await page.locator("#measures tr").allInnerTexts();
    for (const clause of clauses) expect(rows.some((row) => row.includes(clause.text.slice(0, 12)))).toBe(true);
    expect(rows.join("\n")).not.toMatch(/第\d+段/);
    // A file with warnings (a second version) asks to confirm the publish.
    page.once("dialog", (dialog) => dialog.accept());
    await page.click("#publish");
    await expect.poll(() => page.locator("#upload-status").innerText(), { timeout: 20_000 }).toContain("已发布");
    return bytes;
  }

  it("PDF: previews with its 文号 and every clause, publishes, is answered from, and 查看原文 draws the file's page with the clause highlighted over its text", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pdf = await uploadAndPublish(page, "Chromium 打印 一栏", "application/pdf");
    const errors: string[] = [];
    // On the original's pages, from their first moment: a refused script or worker (the page's CSP) or a failed load is an error; the browser's favicon request is not the page's.
    page.context().on("console", (message) => {
      const url = message.location().url;
      if (message.type() === "error" && message.page()?.url().includes("/original/") && !url.endsWith("/favicon.ico"))
        errors.push(`${message.text()} at ${url}`);
    });
    const original = await askAndOpenOriginal(page, base, "original-pdf");

    await expect.poll(() => original.locator("#original").getAttribute("data-rendered"), { timeout: 30_000 }).toBe("true");
    // The page itself, drawn by pdf.js from the stored original: ink on the canvas, not a blank sheet.
    const canvas = (await original.locator("#original canvas").boundingBox())!;
    const inked = await original.evaluate(() => {
      const drawn = document.querySelector<HTMLCanvasElement>("#original canvas")!;
      const { data } = drawn.getContext("2d")!.getImageData(0, 0, drawn.width, drawn.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 300) dark++;
      return dark / (drawn.width * drawn.height);
    });
    expect(inked).toBeGreaterThan(0.005);

    // The highlight: one box a line of the clause, in canvas pixels, laid where pdf.js (read here, apart from ingest) draws the clause's text.
    const highlights = (await original.locator("#original .highlight").evaluateAll((marks) => marks.map((mark) => mark.getBoundingClientRect().toJSON()))).map(
      (box: Box) => ({ x: box.x - canvas.x, y: box.y - canvas.y, width: box.width, height: box.height }),
    );
    expect(highlights.length).toBeGreaterThanOrEqual(2);
    const pageNumber = Number(await original.locator("#original").getAttribute("data-page"));
    const recorded = JSON.parse((await original.locator("#original").getAttribute("data-rects"))!) as Box[];
    expect(recorded).toHaveLength(highlights.length);
    const { pieces, scale } = await textOnPage(pdf, pageNumber, canvas.width);
    const clauseText = squeeze(CITED.label + CITED.text);
    // Pieces only the cited clause has (2025年12 is in two clauses, 检验检测费用 in the 附件's table too), and pieces it does not have.
    const otherText = squeeze(noticeSourceText()).replace(clauseText, "|");
    const inClause = pieces.filter((piece) => clauseText.includes(piece.text) && !otherText.includes(piece.text));
    const elsewhere = pieces.filter((piece) => !clauseText.includes(piece.text));
    expect(inClause.length).toBeGreaterThanOrEqual(1);
    for (const piece of inClause)
      expect(
        highlights.some((box) => contains(box, piece.x, piece.y)),
        `${piece.text} highlighted`,
      ).toBe(true);
    for (const piece of elsewhere)
      expect(
        highlights.some((box) => contains(box, piece.x, piece.y)),
        `${piece.text} not highlighted`,
      ).toBe(false);
    // Each highlight is the recorded box of one line, scaled from PDF units to the canvas.
    for (const [i, box] of highlights.entries()) {
      expect(Math.abs(box.x - recorded[i].x * scale)).toBeLessThan(1.5);
      expect(Math.abs(box.y - recorded[i].y * scale)).toBeLessThan(1.5);
      expect(Math.abs(box.width - recorded[i].width * scale)).toBeLessThan(1.5);
      expect(Math.abs(box.height - recorded[i].height * scale)).toBeLessThan(1.5);
    }
    await expect.poll(() => inView(original)).toBe(true);
    await original.screenshot({ path: `${ARTIFACTS}original-pdf-highlighted.png`, fullPage: true });

    // 下一页 draws the next page of the file (no clause of ours on it is highlighted), 上一页 comes back to the highlight.
    await original.click("nav >> text=下一页");
    await original.waitForURL(new RegExp(`page=${pageNumber + 1}$`));
    await expect.poll(() => original.locator("#original").getAttribute("data-rendered"), { timeout: 30_000 }).toBe("true");
    expect(await original.locator("#original").getAttribute("data-page")).toBe(String(pageNumber + 1));
    expect(await original.locator("#original .highlight").count()).toBe(0);
    await original.click("nav >> text=上一页");
    await original.waitForURL(new RegExp(`page=${pageNumber}$`));
    await expect.poll(() => original.locator("#original").getAttribute("data-rendered"), { timeout: 30_000 }).toBe("true");
    expect(await original.locator("#original .highlight").count()).toBe(highlights.length);

    // The text view is one link away, and links back.
    await original.click("a.other-view");
    const highlighted = await original.locator("#clause mark").innerText();
    expect(squeeze(highlighted)).toContain(squeeze(CITED.text));
    expect(await original.locator("mark").count()).toBe(1);
    expect(await original.locator(".sheet").innerText()).toContain(clauses[0].text.slice(0, 12));
    expect(await original.locator("a.other-view").innerText()).toBe("查看原文");
    expect(errors.join("\n")).toBe("");
  }, 180_000);

  it("OFD: previews with its 文号 and every clause, publishes, is answered from, and 查看原文 draws its page from its text objects with the clause highlighted", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await uploadAndPublish(page, "OFD", "application/ofd");
    const original = await askAndOpenOriginal(page, base, "original-ofd");
    expect(await original.locator("#original").getAttribute("data-rendered")).toBe("true");
    expect(await original.locator("#original svg").count()).toBe(1);

    // Every piece of text the page draws, and the highlights, where the browser put them.
    const drawn = async () =>
      original.evaluate(() => {
        const box = (element: Element) => element.getBoundingClientRect().toJSON();
        return {
          texts: [...document.querySelectorAll("#original svg text")].map((text) => ({ text: (text.textContent ?? "").replace(/\s+/g, ""), box: box(text) })),
          marks: [...document.querySelectorAll("#original svg .highlight")].map(box),
        };
      });
    const { texts, marks } = await drawn();
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.every(({ box }) => box.width > 0 && box.height > 0)).toBe(true);
    expect(marks.length).toBeGreaterThanOrEqual(2);
    const clauseText = squeeze(CITED.label + CITED.text);
    const middle = (box: Box) => [box.x + box.width / 2, box.y + box.height / 2] as const;
    const lit = (box: Box) => marks.some((mark: Box) => contains(mark, ...middle(box)));
    const inClause = texts.filter(({ text }) => text.length >= 2 && clauseText.includes(text));
    expect(squeeze(inClause.map(({ text }) => text).join(""))).toContain(squeeze(CITED.text).slice(0, 20));
    for (const { text, box } of texts)
      expect(lit(box), `${text} ${clauseText.includes(text) ? "" : "not "}highlighted`).toBe(text.length >= 2 && clauseText.includes(text));
    await expect.poll(() => inView(original)).toBe(true);
    await original.screenshot({ path: `${ARTIFACTS}original-ofd-highlighted.png`, fullPage: true });

    // The next page is the 附件, drawn without a highlight; the previous one has it again.
    await original.click("nav >> text=下一页");
    await original.waitForURL(/page=2$/);
    expect((await drawn()).texts.some(({ text }) => text.includes("责任分工表"))).toBe(true);
    expect((await drawn()).marks).toHaveLength(0);
    await original.click("nav >> text=上一页");
    await original.waitForURL(/page=1$/);
    expect((await drawn()).marks).toHaveLength(marks.length);
    await original.click("a.other-view");
    expect(squeeze(await original.locator("#clause mark").innerText())).toContain(squeeze(CITED.text));
  }, 180_000);
});
