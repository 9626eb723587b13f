import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
const runInCi = IN_CI;

describe.skipIf(!hasChromium && !runInCi)("政策匹配 page in headless Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = temporaryDirectory();
    const config = loadConfig({
      DOCUMENTS_DIR: temporaryDirectory(),
      SEEDS_DIR,
      INDEX_DIR: `${dir}/index`,
      DATABASE_PATH: `${dir}/db.sqlite`,
      AS_OF_DATE: TODAY,
      HOST: "127.0.0.1",
    });
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

  it("matches a profile, groups the result, labels ended measures, and prints only the result", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${base}/match`);
    await expect.poll(() => page.locator("#region option").count()).toBe(3);
    await page.selectOption("#region", "哈密市");
    await page.selectOption("#entityType", "个体工商户");
    await page.selectOption("#sector", "餐饮");
    await page.fill("#needs", "想少交点检测费");
    await page.click("form.profile button[type=submit]");
    await page.locator("section.group").first().waitFor();

    expect(await page.locator("#summary").innerText()).toContain("哈密市 · 个体工商户 · 餐饮");
    const ended = page.locator("section.group.ended").first();
    expect(await ended.locator("h2").innerText()).toContain("已到期");
    const fee = ended.locator(".item").first();
    expect(await fee.innerText()).toContain("新市监机〔2023〕83号");
    expect(await fee.locator(".badge").innerText()).toBe("已到期");
    expect(await fee.innerText()).toContain("与您的需求“想少交点检测费”相关");
    await fee.locator("summary").click();
    expect(await fee.locator(".clause").innerText()).toContain("自治区产品质量监督检验研究院");
    expect(await page.locator("#result").innerText()).not.toContain("克拉玛依");
    await page.screenshot({ path: `${ARTIFACTS}match-result.png`, fullPage: true });

    await page.emulateMedia({ media: "print" });
    expect(await page.locator("form.profile").isVisible()).toBe(false);
    expect(await page.locator("header").isVisible()).toBe(false);
    expect(await page.locator("#print-head").innerText()).toContain("惠企政策匹配结果 · 哈密市 · 个体工商户 · 餐饮");
    expect(await page.locator("section.group").first().isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}match-print.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("shows the field the server names when a profile is refused", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/match`);
    await expect.poll(() => page.locator("#region option").count()).toBe(3);
    // A stale form can still send a place the server does not know.
    await page.evaluate(() => {
      const select = document.getElementById("region") as HTMLSelectElement;
      select.append(new Option("上海市", "上海市"));
      select.value = "上海市";
    });
    await page.click("form.profile button[type=submit]");
    await expect.poll(() => page.locator("#error").innerText()).toMatch(/^region: /);
    await page.screenshot({ path: `${ARTIFACTS}match-error-phone.png` });
  });
});
