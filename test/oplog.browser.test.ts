import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI } from "./ci.js";
import { temporaryDirectory } from "./helpers.js";
import { type LibraryServer, startWithLibrary } from "./library-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
const runInCi = IN_CI;

/** Questions a hotline gets, answered by the real bot on the seed: answers, a refusal, a not-stated answer. */
const QUESTIONS = [
  { question: "我的企业能减免多少检测费？", channel: "web" },
  { question: "公司刻章备案要多长时间？", channel: "api" },
  { question: "上海的企业有什么补贴？", channel: "api" },
  { question: "我的个人所得税怎么退？电话13812345678", channel: "web" },
  { question: "刻章备案在哪里办理？", channel: "web" },
  { question: "个体工商户歇业最长能保留多久？", channel: "web" },
];

/** Pixels of a chart's canvas that are not blank: ECharts drew something. */
const drawnPixels = (page: Page, id: string) =>
  page.evaluate((chartId) => {
    const canvas = document.querySelector(`#${chartId} canvas`) as HTMLCanvasElement | null;
    if (!canvas) return 0;
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0 && (data[i - 1] < 250 || data[i - 2] < 250 || data[i - 3] < 250)) drawn++;
    return drawn;
  }, id);

describe.skipIf(!hasChromium && !runInCi)("the conversation log and the charts in headless Chromium, on turns the real bot stored", () => {
  let server: LibraryServer;
  let browser: Browser;
  const answerIds: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = temporaryDirectory();
    server = await startWithLibrary(`${dir}/db.sqlite`, `${dir}/index`);
    for (const { question, channel } of QUESTIONS) {
      const response = await fetch(`${server.base}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question, channel }),
      });
      answerIds.push((await response.json()).answerId);
    }
    await fetch(`${server.base}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ answerId: answerIds[0], rating: "up" }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.running.close();
  });

  it("/staff/analytics draws its charts and shows the API's numbers, at desktop and phone width", async () => {
    const api = await (await fetch(`${server.base}/api/analytics?days=30`)).json();
    expect(api.totals).toMatchObject({ questions: QUESTIONS.length, refused: 2, notStated: 1 });
    for (const width of [1280, 390]) {
      const errors: string[] = [];
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on(
        "response",
        (response) => response.status() >= 400 && !response.url().endsWith("/favicon.ico") && errors.push(`${response.status()} ${response.url()}`),
      );
      await page.goto(`${server.base}/staff/analytics`);
      await page.waitForSelector("body[data-loaded='30']");
      for (const [key, value] of Object.entries({ ...api.totals, up: api.ratings.up, down: api.ratings.down }))
        if (key !== "handedOff") expect(await page.locator(`#total-${key} .value`).innerText(), key).toBe(String(value));
      for (const chart of ["chart-daily", "chart-outcomes", "chart-reasons", "chart-measures", "chart-ratings"])
        expect(await drawnPixels(page, chart), chart).toBeGreaterThan(200);
      expect(await page.locator("#never tr").count()).toBe(Math.min(200, api.neverAsked.total));
      expect(await page.locator("#never-total").innerText()).toContain(String(api.neverAsked.total));
      // Nothing is wider than the phone's screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${ARTIFACTS}analytics-${width}.png` });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("/staff/conversations lists every turn, filters by outcome and channel, and exports the filtered turns with numbers masked", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.base}/staff/conversations`);
    await page.locator("tr.turn").first().waitFor();
    expect(await page.locator("tr.turn").count()).toBe(QUESTIONS.length);
    expect(await page.locator("tbody").innerText()).not.toContain("13812345678");

    const refused = (await (await fetch(`${server.base}/api/conversations?outcome=refused`)).json()).rows;
    expect(refused.length).toBeGreaterThan(0);
    await page.selectOption("#f-outcome", "refused");
    await page.click("#search");
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll("tr.turn").length === n &&
        [...document.querySelectorAll("tr.turn")].every((r) => (r as HTMLElement).dataset.outcome === "refused"),
      refused.length,
    );
    expect(await page.locator("tr.turn .outcome").first().innerText()).toMatch(/^拒答：/);
    await page.selectOption("#f-channel", "web");
    await page.click("#search");
    const webRefused = refused.filter((r: { channel: string }) => r.channel === "web");
    await page.waitForFunction((n) => document.querySelectorAll("tr.turn").length === n, webRefused.length);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}conversations-390.png` });

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString("utf8");
    const lines = text
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("时间,渠道,结果,原因,问题,理解为,回答,引用条款,评价,评价意见,会话,编号");
    expect(lines).toHaveLength(webRefused.length + 1);
    expect(text).toContain("[手机号]");
    expect(text).not.toContain("13812345678");
    const [jsonl] = await Promise.all([page.waitForEvent("download"), page.click("#export-jsonl")]);
    const rows = Buffer.concat(await (await jsonl.createReadStream()).toArray())
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.id)).toEqual(webRefused.map((r: { id: string }) => r.id));
    expect(errors).toEqual([]);
  });
});
