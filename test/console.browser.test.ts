import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import type { Ask } from "../src/core/ask.js";
import { createRuntime } from "../src/core/runtime.js";
import { QuestionLibrary } from "../src/library/question-library.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
// In CI a missing browser is a failure (the launch below names the path), never a silent skip.
const runInCi = IN_CI;

describe.skipIf(!hasChromium && !runInCi)("web console in headless Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;
  const INDEX_DIR = `${temporaryDirectory()}/index`;

  /** A server on the seed; `wrapAsk` may stand in for chosen questions. */
  async function startConsole(env: Record<string, string> = {}, wrapAsk?: (ask: Ask) => Ask) {
    const dir = temporaryDirectory();
    const config = loadConfig({
      DOCUMENTS_DIR: temporaryDirectory(),
      SEEDS_DIR,
      INDEX_DIR,
      DATABASE_PATH: `${dir}/db.sqlite`,
      AS_OF_DATE: TODAY,
      HOST: "127.0.0.1",
      ...env,
    });
    // As `npm start` wires it: the store, then the question library, whose route lists the unanswered questions.
    const store = openSqliteStore(config.databasePath);
    await store.ready;
    const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
    const runtime = await createRuntime(config, silentLogger, { library });
    const running = await startHttpServer(wrapAsk ? { ...runtime, ask: wrapAsk(runtime.ask) } : runtime, 0, store);
    return { running, base: `http://127.0.0.1:${running.port}` };
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // One question answers with low confidence and suggestions, so the console's rendering of them is seen.
    ({ running: server, base } = await startConsole({}, (ask) => async (question, history, options) => {
      const answer = await ask(question === "有哪些补贴？" ? "我的企业能减免多少检测费？" : question, history, options);
      if (question !== "有哪些补贴？") return answer;
      return {
        ...answer,
        confidence: "low",
        notices: [{ kind: "hedge", text: "没有与问题完全对应的条款，以下是最接近的。" }],
        suggestions: ["公司刻章备案要多长时间？"],
      };
    }));
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
    // The turn shows 正在查找相关条款… until its answer arrives: wait for the answer, not the turn.
    await turn.locator(".a", { hasText: "30%-50%" }).waitFor();
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

  it("shows a low-confidence answer apart from a direct one, and asks a suggestion when clicked", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(base);
    await page.locator("#examples button").first().waitFor();
    expect(await page.locator("#examples button").allInnerTexts()).toContain("我的企业能减免多少检测费？");
    await page.fill("#question", "有哪些补贴？");
    await page.click("form.ask button[type=submit]");
    // A turn carries data-confidence once its answer has arrived: wait for that, not the turn.
    const low = page.locator("article.turn[data-confidence]").first();
    await low.waitFor();
    expect(await low.getAttribute("data-confidence")).toBe("low");
    expect(await low.locator(".confidence").innerText()).toContain("仅供参考");
    expect(await low.locator(".notices").innerText()).toContain("没有与问题完全对应的条款");
    await low.getByRole("button", { name: "公司刻章备案要多长时间？" }).click();
    const next = page.locator("article.turn[data-confidence]").nth(1);
    await next.waitFor();
    expect(await next.locator(".q").innerText()).toContain("公司刻章备案要多长时间？");
    expect(await next.getAttribute("data-confidence")).toBe("answer");
    expect(await next.locator(".confidence").count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}console-low-confidence.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("honours Retry-After: says how long to wait and keeps the ask button off", async () => {
    const limited = await startConsole({ RATE_LIMIT_PER_MINUTE: "2" });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(limited.base);
      await page.locator("#examples button").first().waitFor();
      await page.fill("#question", "公司刻章备案要多长时间？");
      await page.click("form.ask button[type=submit]");
      await page.locator("article.turn").first().waitFor();
      await page.fill("#question", "公司刻章备案要多长时间？");
      await page.click("form.ask button[type=submit]");
      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/请\d+秒后再试/);
      expect(await page.locator("form.ask button[type=submit]").isDisabled()).toBe(true);
    } finally {
      await limited.running.close();
    }
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
