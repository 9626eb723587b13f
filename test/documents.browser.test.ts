import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { makeDocx } from "../src/ingest/__fixtures__/make-docx.js";
import { makePdf } from "../src/ingest/__fixtures__/make-pdf.js";
import { canOcr, makeScannedPdf } from "../src/ingest/__fixtures__/make-scan.js";
import { NOTICE_TITLE, noticePages, REGULATION_TITLE, regulationPages } from "../src/ingest/__fixtures__/regulation.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const runInCi = IN_CI;
const ocr = await canOcr();
const compact = (text: string) => text.replace(/\s+/g, "");

describe.skipIf(!existsSync(CHROMIUM) && !runInCi)("documents page in headless Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // An empty data folder: no database, no documents, no index yet.
    const data = temporaryDirectory();
    const config = loadConfig({
      SEEDS_DIR,
      INDEX_DIR: join(data, "index"),
      DATABASE_PATH: join(data, "relief.sqlite"),
      DOCUMENTS_DIR: join(data, "documents"),
      AS_OF_DATE: TODAY,
      HOST: "127.0.0.1",
      // tesseract reads the scan in a few seconds; PaddleOCR has tests of its own (src/ingest/paddle.test.ts).
      OCR_ENGINE: "tesseract",
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

  it("uploads a PDF and a Word file, previews and publishes each, then the console answers from each citing its page", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base);
    await page.click("#documents-link");
    await page.waitForURL(`${base}/staff/documents`);

    const files = [
      { name: "首贷贴息办法.pdf", mimeType: "application/pdf", buffer: await makePdf(regulationPages()) },
      { name: "房租减免通知.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: await makeDocx(noticePages()) },
    ];
    for (const [file, title] of [
      [files[0], REGULATION_TITLE],
      [files[1], NOTICE_TITLE],
    ] as const) {
      await page.setInputFiles("#files", file);
      await page.click("#upload");
      // Uploads are read in a worker thread, whose start takes seconds on a busy machine.
      await expect.poll(() => page.locator("#preview-title").innerText(), { timeout: 20_000 }).toBe(title);
      expect(await page.locator("#preview-meta").innerText()).toContain("待发布");
      expect(await page.locator("#measures tr").count()).toBeGreaterThan(2);
      await page.click("#publish");
      // A publish builds the next knowledge base: about a second, more on a busy machine.
      await expect.poll(() => page.locator("#upload-status").innerText(), { timeout: 15_000 }).toContain("已发布");
    }
    await page.screenshot({ path: `${ARTIFACTS}documents-published.png`, fullPage: true });
    expect(await page.locator("#uploads tr").count()).toBe(2);
    // The catalogue reads the live knowledge base: both are listed, with their version, without a restart.
    const catalogue = (await (await fetch(`${base}/api/documents`)).json()) as { documents: Array<{ title: string; version?: number }> };
    expect(catalogue.documents.filter((d) => d.version === 1).map((d) => d.title)).toEqual([REGULATION_TITLE, NOTICE_TITLE]);

    await page.click("#console-link");
    for (const [question, title, expected] of [
      ["首贷贴息每户每年最高多少？", "首贷贴息管理办法", "第1页"],
      ["房租减免几个月？", "减免个体工商户房屋租金", "第2页"],
    ] as const) {
      // A new conversation each, so the second is not read as a follow-up to the first.
      await page.click("#reset");
      await page.fill("#question", question);
      await page.click("form.ask button[type=submit]");
      const turn = page.locator("article.turn").last();
      await expect.poll(() => turn.locator(".q").innerText()).toContain(question);
      await turn.locator(".card").first().waitFor();
      const card = turn.locator(".card").first();
      expect(await card.innerText()).toContain(title);
      expect(await card.innerText()).toContain(expected);
    }
    await page.screenshot({ path: `${ARTIFACTS}documents-answered.png`, fullPage: true });
  }, 60_000);

  it.skipIf(!ocr && !runInCi)(
    "a scan is taken at once as 读取中, read by OCR while the page follows it, then previewed as the next version and published",
    async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${base}/staff/documents`);
      const scan = { name: "首贷贴息办法（扫描件）.pdf", mimeType: "application/pdf", buffer: await makeScannedPdf(regulationPages()[0].slice(0, 8)) };
      await page.setInputFiles("#files", scan);
      await page.click("#upload");
      await expect.poll(() => page.locator("#upload-status").innerText(), { timeout: 20_000 }).toContain("已接收 1 个扫描件，正在后台识别");
      // OCR takes seconds: the list and the preview say it is being read, and nothing can be published yet.
      const newest = page.locator("#uploads tr").first();
      await expect.poll(() => newest.locator(".status").innerText()).toMatch(/^(等待识别|读取中 [01]\/1 页)$/);
      await expect.poll(() => page.locator("#preview-meta").innerText(), { timeout: 20_000 }).toMatch(/等待识别|OCR 识别中/);
      expect(await page.locator("#publish").isDisabled()).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}documents-reading.png`, fullPage: true });

      // The page polls the list while something is read, and shows the preview once it is ready: the regulation's next version.
      await expect.poll(async () => compact(await page.locator("#preview-title").innerText()), { timeout: 30_000 }).toBe(REGULATION_TITLE);
      expect(await page.locator("#preview-meta").innerText()).toMatch(/OCR 识别，1 页）· 第 2 版 · 待发布/);
      expect(await newest.locator(".status").innerText()).toBe("待发布");
      // A scan always carries the OCR warning: the page asks to confirm the publish.
      page.once("dialog", (dialog) => dialog.accept());
      await page.click("#publish");
      await expect.poll(() => page.locator("#upload-status").innerText(), { timeout: 15_000 }).toContain("已发布");
      await page.screenshot({ path: `${ARTIFACTS}documents-read-by-ocr.png`, fullPage: true });
    },
    60_000,
  );
});
