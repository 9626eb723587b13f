import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a failure (the launch below names the path), never a silent skip.
const runInCi = process.env.CI === "true";

describe.skipIf(!hasChromium && !runInCi)("web console in headless Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = temporaryDirectory();
    const config = loadConfig({ SEEDS_DIR, INDEX_DIR: `${dir}/index`, DATABASE_PATH: `${dir}/db.sqlite`, AS_OF_DATE: TODAY, HOST: "127.0.0.1" });
    server = await startHttpServer(await createRuntime(config, silentLogger), 0, openSqliteStore(config.databasePath));
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("asks, shows a cited answer, expands a clause, rates it, and lists a refusal as unanswered", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base);
    await page.screenshot({ path: `${ARTIFACTS}console-empty.png` });
    await page.fill("#question", "我的企业能减免多少检测费？");
    await page.click("form.ask button[type=submit]");
    const turn = page.locator("article.turn").first();
    await turn.waitFor();
    expect(await turn.locator(".a").innerText()).toContain("30%-50%");
    await turn.locator(".a a").first().click();
    const card = turn.locator(".card").first();
    expect(await card.innerText()).toContain("新市监机〔2023〕83号");
    expect(await card.locator(".badge").innerText()).toBe("已到期");
    await card.locator("summary").click();
    expect(await card.locator(".clause").innerText()).toContain("自治区产品质量监督检验研究院");
    await turn.getByRole("button", { name: /有帮助/ }).click();
    await expect.poll(() => turn.getByRole("button", { name: /有帮助/ }).getAttribute("aria-pressed")).toBe("true");
    await page.screenshot({ path: `${ARTIFACTS}console-answer.png`, fullPage: true });

    await page.fill("#question", "上海市对餐饮企业有没有房租减免政策？");
    await page.click("form.ask button[type=submit]");
    await page.locator("article.turn").nth(1).waitFor();
    await page.click("#tab-unanswered");
    await page.locator("#unanswered tr", { hasText: "上海市" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}console-unanswered.png` });

    await page.click("#tab-browse");
    await page.locator("#documents details").first().waitFor();
    expect(await page.locator("#documents > details").count()).toBe(5);
    await page.selectOption("#f-region", "哈密市");
    await expect.poll(() => page.locator("#documents > details").count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}console-browse.png` });
  });

  it("is usable on a phone-sized screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base);
    await page.fill("#question", "公司刻章备案要多长时间？");
    await page.click("form.ask button[type=submit]");
    await page.locator("article.turn").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}console-phone.png`, fullPage: true });
  });
});
