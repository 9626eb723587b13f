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

describe.skipIf(!hasChromium && !runInCi)("the question library loop in headless Chromium", () => {
  let server: LibraryServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = temporaryDirectory();
    server = await startWithLibrary(`${dir}/db.sqlite`, `${dir}/index`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.running.close();
  });

  /** Asks in the console and returns the new answer's article once it is rendered. */
  async function ask(page: Page, question: string) {
    const before = await page.locator("article.turn").count();
    await page.fill("#question", question);
    await page.click("form.ask button[type=submit]");
    const turn = page.locator("article.turn").nth(before);
    await turn.locator(".actions").waitFor();
    return turn;
  }

  it("refused → linked from the unanswered list → answered from the clause, a paraphrase too → the hit test shows why → undo restores the refusal", async () => {
    const errors: string[] = [];
    const console = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    console.on("pageerror", (error) => errors.push(error.message));
    await console.goto(server.base);
    const question = "饭店老被查怎么办？";
    const refused = await ask(console, question);
    expect(await refused.getAttribute("data-confidence")).toBe("refuse");
    expect(await refused.locator(".correct").getAttribute("href")).toContain("/staff/library?question=");

    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    staff.on("pageerror", (error) => errors.push(error.message));
    await staff.goto(`${server.base}/staff/library`);
    await staff.click("#tab-unanswered");
    const row = staff.locator("#unanswered tr", { hasText: question });
    await row.getByRole("button", { name: "关联" }).click();
    expect(await staff.inputValue("#e-question")).toBe(question);
    await staff.fill("#e-search", "进一次门，查多项事");
    await staff.click("#e-search-go");
    // The staff member reads the clause texts shown and picks the one that answers.
    const result = staff.locator("#e-results .result", { hasText: "进一次门" }).first();
    await result.waitFor();
    await result.locator("button.pick").click();
    expect(await staff.locator("#e-linked .linked").innerText()).toContain("进一次门");
    await staff.click("#e-save");
    await staff.locator("#undo").waitFor();
    expect(await staff.locator("#status").innerText()).toContain("已关联");
    await staff.screenshot({ path: `${ARTIFACTS}library-linked.png`, fullPage: true });

    const taught = await ask(console, question);
    expect(await taught.getAttribute("data-confidence")).toBe("answer");
    await taught.locator(".card summary").first().click();
    expect(await taught.locator(".card .clause").first().innerText()).toContain("进一次门");
    // Validity and the document are shown as for any answer.
    expect(await taught.locator(".card .meta").first().innerText()).toMatch(/第\d+/);
    const paraphrase = await ask(console, "饭店老被查咋办");
    expect(await paraphrase.getAttribute("data-confidence")).not.toBe("refuse");
    expect(await paraphrase.locator(".card").first().innerText()).toContain(await taught.locator(".card strong").first().innerText());
    await console.screenshot({ path: `${ARTIFACTS}library-answered.png`, fullPage: true });

    await staff.click("#tab-hit");
    await staff.fill("#h-question", "饭店老被查，怎么办呀");
    await staff.click("#h-run");
    await staff.locator("#h-result:not([hidden])").waitFor();
    expect(await staff.locator("#h-decision").innerText()).toBe("作答");
    expect(await staff.locator("#h-reason").innerText()).toContain("问题库");
    expect(await staff.locator("#h-library .library-match").first().innerText()).toContain(question);
    expect(await staff.locator("#h-hits tr").count()).toBeGreaterThan(0);
    await staff.screenshot({ path: `${ARTIFACTS}library-hit-test.png`, fullPage: true });

    await staff.click("#tab-library");
    await staff.locator("#entries tr.entry", { hasText: question }).waitFor();
    await staff.locator("#entries tr.entry", { hasText: question }).getByRole("button", { name: "删除" }).click();
    await staff.locator("#status", { hasText: "已删除" }).waitFor();
    const again = await ask(console, question);
    expect(await again.getAttribute("data-confidence")).toBe("refuse");
    await staff.click("#undo");
    await staff.locator("#status", { hasText: "已恢复" }).waitFor();
    expect(await (await ask(console, question)).getAttribute("data-confidence")).toBe("answer");
    expect(errors).toEqual([]);
  }, 60_000);

  it("纠正 under an answer opens the library page with the question ready to link or mark 应拒答, which the next ask obeys", async () => {
    const console = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await console.goto(server.base);
    const turn = await ask(console, "公司刻章备案要多长时间？");
    expect(await turn.getAttribute("data-confidence")).toBe("answer");
    const [staff] = await Promise.all([console.waitForEvent("popup"), turn.locator("a.correct").click()]);
    await staff.locator("#e-question").waitFor();
    expect(await staff.inputValue("#e-question")).toBe("公司刻章备案要多长时间？");
    // The token never stays in the address bar.
    expect(staff.url()).not.toContain("token=");
    await staff.selectOption("#e-refusal", "request-to-act");
    await staff.click("#e-save");
    await staff.locator("#undo").waitFor();
    const refused = await ask(console, "公司刻章备案要多长时间");
    expect(await refused.getAttribute("data-confidence")).toBe("refuse");
    expect(await refused.locator(".a").innerText()).toContain("不能代您");
  }, 60_000);
});
