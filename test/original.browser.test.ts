import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { FIDELITY_NOTICE } from "../src/ingest/__fixtures__/fidelity-notice.js";
import { hasProgram, PRODUCERS } from "../src/ingest/__fixtures__/fidelity-producers.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const available = (existsSync(CHROMIUM) && hasProgram("chromium")) || IN_CI;
const producer = (id: string) => PRODUCERS.find((p) => p.id === id)!;

/*
 * The notice the project wrote, as staff get it: printed to PDF by Chromium and as an OFD package, uploaded on a
 * fresh data folder, previewed, published, asked about in the console, and its citation followed to the original.
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

  it("previews each with its 文号 and every clause, publishes, answers citing the clause by its outline, and opens it highlighted", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/staff/documents`);
    const dir = temporaryDirectory();
    const clauses = FIDELITY_NOTICE.sections.flatMap((s) => s.clauses);
    for (const [id, mimeType] of [
      ["Chromium 打印 一栏", "application/pdf"],
      ["OFD", "application/ofd"],
    ] as const) {
      const made = producer(id);
      await page.setInputFiles("#files", { name: made.fileName, mimeType, buffer: Buffer.from(await made.make(dir)) });
      await page.click("#upload");
      await expect.poll(() => page.locator("#preview-title").innerText(), { timeout: 30_000 }).toBe(FIDELITY_NOTICE.title);
      expect(await page.locator("#f-docNumber").inputValue()).toBe(FIDELITY_NOTICE.docNumber);
      const rows = await page.locator("#measures tr").allInnerTexts();
      for (const clause of clauses) expect(rows.some((row) => row.includes(clause.text.slice(0, 12)))).toBe(true);
      expect(rows.join("\n")).not.toMatch(/第\d+段/);
      // A file with warnings asks to confirm the publish.
      page.once("dialog", (dialog) => dialog.accept());
      await page.click("#publish");
      await expect.poll(() => page.locator("#upload-status").innerText(), { timeout: 20_000 }).toContain("已发布");
    }

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
    await page.screenshot({ path: `${ARTIFACTS}original-answered.png`, fullPage: true });

    const [original] = await Promise.all([page.context().waitForEvent("page"), card.locator("a.original").click()]);
    await original.waitForLoadState();
    expect(new URL(original.url()).hash).toBe("#clause");
    expect(await original.locator("h1").innerText()).toBe(FIDELITY_NOTICE.title);
    expect(await original.locator(".number").innerText()).toContain(FIDELITY_NOTICE.docNumber);
    const highlighted = await original.locator("#clause mark").innerText();
    expect(highlighted.replace(/\s+/g, "")).toContain(clauses[2].text.replace(/\s+/g, ""));
    expect(await original.locator("mark").count()).toBe(1);
    // The rest of the page is there too, unhighlighted.
    expect(await original.locator(".sheet").innerText()).toContain(clauses[0].text.slice(0, 12));
    await original.screenshot({ path: `${ARTIFACTS}original-highlighted.png`, fullPage: true });
  }, 120_000);
});
