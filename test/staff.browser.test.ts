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
const STAFF_TOKEN = "tok-zhang-7f3a";

describe.skipIf(!hasChromium && !runInCi)("the staff console in headless Chromium", () => {
  let server: LibraryServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = temporaryDirectory();
    // On 2023-07-01 the 检测费 measures (2023年5月1日至2023年8月31日) end within 90 days.
    server = await startWithLibrary(`${dir}/db.sqlite`, `${dir}/index`, { ADMIN_TOKEN: `zhang:${STAFF_TOKEN}`, AS_OF_DATE: "2023-07-01" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.running.close();
  });

  async function ask(page: Page, question: string) {
    const before = await page.locator("article.turn").count();
    await page.fill("#question", question);
    await page.click("form.ask button[type=submit]");
    const turn = page.locator("article.turn").nth(before);
    await turn.locator(".actions").waitFor();
    return turn;
  }

  async function signIn(page: Page, next = "/staff/library") {
    await page.goto(`${server.base}/staff/sign-in?next=${encodeURIComponent(next)}`);
    await page.fill("#token", STAFF_TOKEN);
    await page.click("form.sign-in button[type=submit]");
    await page.waitForURL(`${server.base}${next}`);
  }

  it("a staff page signed out says so in Chinese and leads to sign-in; the token becomes an HttpOnly session; sign-out ends it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const refused = await page.goto(`${server.base}/staff/library`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator("#refusal").innerText()).toContain("请先登录");
    await page.screenshot({ path: `${ARTIFACTS}staff-401.png` });
    await page.click("#go-sign-in");
    await page.fill("#token", "not-the-token");
    await page.click("form.sign-in button[type=submit]");
    expect(await page.locator("#message").innerText()).toContain("口令不正确");
    await page.fill("#token", STAFF_TOKEN);
    await page.click("form.sign-in button[type=submit]");
    await page.waitForURL(`${server.base}/staff/library`);
    await page.locator("#entries tr").first().waitFor();
    expect(await page.locator("header.staff .who").innerText()).toContain("已登录：zhang");
    // One header on every staff page, 政策匹配 among its links, this page marked.
    expect(await page.locator("header.staff nav a", { hasText: "政策匹配" }).getAttribute("href")).toBe("/match");
    expect(await page.locator("header.staff nav a[aria-current=page]").innerText()).toBe("问题库");
    const [cookie] = (await context.cookies()).filter((c) => c.name === "staff_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookie.value).not.toContain(STAFF_TOKEN);
    expect(await page.evaluate(() => document.cookie)).not.toContain("staff_session");
    for (const path of ["/staff/review", "/staff/conversations", "/staff/analytics", "/match", "/"]) {
      await page.goto(server.base + path);
      expect(await page.locator("header.staff").count(), path).toBe(1);
      expect(await page.locator("header.staff .who").innerText(), path).toContain("已登录：zhang");
    }
    await page.screenshot({ path: `${ARTIFACTS}staff-signed-in.png` });
    await page.click("#sign-out");
    await page.waitForURL(/\/staff\/sign-in\?signed-out/);
    expect(await page.locator("#message").innerText()).toContain("已退出登录");
    expect((await page.goto(`${server.base}/staff/review`))?.status()).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("marks an answer taught in the question library 来自问题库, gives cards only to cited clauses, and badges them 即将到期", async () => {
    const question = "饭店老被查怎么办？";
    const inspection = server.library.taught(question);
    expect(inspection).toBeUndefined();
    const kbMeasure = (await (await fetch(`${server.base}/api/measures?q=${encodeURIComponent("进一次门")}`)).json()).measures[0];
    const taught = await fetch(`${server.base}/api/library`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${STAFF_TOKEN}` },
      body: JSON.stringify({ question, measureIds: [kbMeasure.id] }),
    });
    expect(taught.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.base);
    const fromLibrary = await ask(page, question);
    expect(await fromLibrary.locator(".from-library").innerText()).toBe("来自问题库");
    const plain = await ask(page, "我的企业能减免多少检测费？");
    expect(await plain.locator(".from-library").count()).toBe(0);

    for (const turn of [fromLibrary, plain]) {
      const markers = [...new Set((await turn.locator(".a, .notices").allInnerTexts()).join("").match(/\[\d+\]/g) ?? [])].map((m) => m.slice(1, -1));
      const cards = (await turn.locator(".card").evaluateAll((nodes) => nodes.map((n) => n.id))).map((id) => id.split("-").at(-1)!);
      // Every marker has its card, and no card stands for a clause the answer does not cite.
      expect(cards.sort()).toEqual(markers.sort());
    }
    await expect.poll(() => plain.locator(".card .badge").first().innerText()).toBe("即将到期");
    expect(await plain.locator(".notices").innerText()).toContain("至2023年8月31日");
    await page.screenshot({ path: `${ARTIFACTS}staff-badges.png`, fullPage: true });

    await page.click("#tab-browse");
    await page.locator("#expiring li").first().waitFor();
    expect(await page.locator("#expiring").innerText()).toContain("即将到期的措施（90天内）");
    expect(await page.locator("#expiring li").count()).toBe(4);
    await expect.poll(() => page.locator("#documents .validity-badge", { hasText: "即将到期" }).count()).toBeGreaterThan(0);
  }, 60_000);

  it("需改进 takes a comment, which staff then see with the question", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.base);
    const turn = await ask(page, "公司刻章备案要多长时间？");
    await turn.getByRole("button", { name: "需改进" }).click();
    await turn.locator("form.comment textarea").fill("没有说明办理地点");
    await turn.locator("form.comment button[type=submit]").click();
    await expect.poll(() => turn.getByRole("button", { name: "需改进" }).getAttribute("aria-pressed")).toBe("true");
    expect(await turn.locator("form.comment").isVisible()).toBe(false);
    const { items } = await (await fetch(`${server.base}/api/library/unanswered`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).json();
    expect(items.find((i: { question: string }) => i.question === "公司刻章备案要多长时间？")?.comment).toBe("没有说明办理地点");
  }, 60_000);

  it("keeps staff tables within a 390 px screen", async () => {
    const measure = (await (await fetch(`${server.base}/api/measures?q=${encodeURIComponent("刻章")}`)).json()).measures[0];
    await fetch(`${server.base}/api/library`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${STAFF_TOKEN}` },
      body: JSON.stringify({
        question: "刻一枚公司公章需要到哪个窗口办理、要带哪些材料、多长时间能拿到？",
        measureIds: [measure.id],
        note: "一个很长的备注，用来撑宽表格的这一列，看看手机上是否还能读",
      }),
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, "/staff/library");
    await page.locator("#entries tr.entry").first().waitFor();
    const table = await page.locator("#entries").evaluate((body) => {
      const box = body.closest("table")!.getBoundingClientRect();
      return { left: box.left, right: box.right };
    });
    expect(table.left).toBeGreaterThanOrEqual(0);
    expect(table.right).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}staff-library-390.png`, fullPage: true });
    for (const path of ["/staff/conversations", "/staff/review", "/staff/documents", "/staff/analytics", "/"]) {
      await page.goto(server.base + path);
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
    }
    await page.goto(server.base);
    await page.click("#tab-unanswered");
    await page.locator("#unanswered tr").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await context.close();
  }, 60_000);
});
