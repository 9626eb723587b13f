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

describe.skipIf(!hasChromium && !runInCi)("待复核 in headless Chromium", () => {
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

  it("稳岗返还 paraphrases the documents have no clause for show up as one cluster; one click teaches them all, and the next paraphrase is answered from the clause chosen", async () => {
    const errors: string[] = [];
    const console = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    console.on("pageerror", (error) => errors.push(error.message));
    await console.goto(server.base);
    for (const question of ["稳岗返还今年还能申请吗", "今年还有稳岗返还吗", "稳岗返还怎么申请"]) {
      const turn = await ask(console, question);
      // Refused: no clause speaks of 稳岗返还 (the documents name only 稳岗扩岗 in passing).
      expect(await turn.getAttribute("data-confidence")).toBe("refuse");
    }

    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    staff.on("pageerror", (error) => errors.push(error.message));
    await staff.goto(`${server.base}/staff/review`);
    const cluster = staff.locator("section.cluster", { hasText: "稳岗返还今年还能申请吗" });
    await cluster.waitFor();
    expect(await cluster.locator("li.example").allInnerTexts()).toEqual(
      expect.arrayContaining(["稳岗返还今年还能申请吗", "今年还有稳岗返还吗", "稳岗返还怎么申请"]),
    );
    expect(await cluster.locator(".reason").first().innerText()).toContain("拒答");
    // The staff member reads the suggested clauses and keeps one about 保险.
    const chosen = cluster.locator("label.measure", { hasText: "保险" }).first();
    const clause = (await chosen.locator(".clause").innerText()).slice(0, 12);
    for (const box of await cluster.locator("label.measure input").all()) await box.uncheck();
    await chosen.locator("input").check();
    await staff.screenshot({ path: `${ARTIFACTS}review-queue.png`, fullPage: true });
    await cluster.locator("button.teach").click();
    await staff.locator("#status", { hasText: "已关联 3 个问法" }).waitFor();
    expect(await staff.locator("section.cluster", { hasText: "稳岗返还今年还能申请吗" }).count()).toBe(0);

    // A paraphrase nobody asked before is answered from the clause chosen.
    const next = await ask(console, "今年稳岗返还还能申请吗");
    expect(await next.getAttribute("data-confidence")).toBe("answer");
    await next.locator(".card summary").first().click();
    expect(await next.locator(".card .clause").first().innerText()).toContain(clause);
    await console.screenshot({ path: `${ARTIFACTS}review-taught.png`, fullPage: true });

    // The queue no longer shows the cluster after a reload; the library lists every paraphrase.
    await staff.click("#reload");
    await staff.waitForLoadState("networkidle");
    expect(await staff.locator("section.cluster", { hasText: "稳岗返还今年还能申请吗" }).count()).toBe(0);
    expect(server.library.all().map((e) => e.question)).toEqual(expect.arrayContaining(["稳岗返还今年还能申请吗", "今年还有稳岗返还吗", "稳岗返还怎么申请"]));
    expect(errors).toEqual([]);
  }, 60_000);
});
