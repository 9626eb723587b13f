import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../src/channels/http/server.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { QuestionLibrary } from "../src/library/question-library.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { IN_CI } from "./ci.js";
import { silentLogger, temporaryDirectory, testSettings } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const runInCi = IN_CI;
const MEASURE = "000_1a5470b786594f12-1-2";

describe.skipIf(!hasChromium && !runInCi)("转人工 in the web console, in headless Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const dir = temporaryDirectory();
    const config = loadConfig({
      ...testSettings(dir),
      DATABASE_PATH: `${dir}/db.sqlite`,
      HOST: "127.0.0.1",
      HANDOFF_HOURS: "周一至周五 9:00-18:00",
    });
    const store = openSqliteStore(config.databasePath);
    await store.ready;
    const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
    const runtime = await createRuntime(config, silentLogger, { library });
    server = await startHttpServer(runtime, 0, store);
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the user asks for a person; staff answer in /staff/handoffs; the answer appears in the open conversation; taught, the next paraphrase is answered from it", async () => {
    const user = await browser.newPage();
    await user.goto(base);
    await user.fill("#question", "我们店歇业备案以后，多久之内还能恢复营业？");
    await user.click("form.ask button[type=submit]");
    await user.locator("article.turn").first().waitFor();
    await user.fill("#question", "转人工");
    await user.click("form.ask button[type=submit]");
    await user.locator("article.turn", { hasText: "周一至周五 9:00-18:00" }).waitFor();

    const desk = await browser.newPage();
    await desk.goto(`${base}/staff/handoffs`);
    const item = desk.locator("#list li", { hasText: "我们店歇业备案以后" });
    await item.waitFor();
    expect(await item.getAttribute("class")).toBe("sla-ok");
    await item.click();
    await desk.locator("#claim").click();
    await desk.locator("#status", { hasText: "已接单" }).waitFor();
    await desk.fill("#reply-text", "歇业备案后3年之内可以随时恢复经营。");
    await desk.locator("#reply-send").click();
    await desk.locator("#status", { hasText: "已送达用户" }).waitFor();

    // The console polls while the hand-off is open: the person's answer appears, marked 人工回复.
    const reply = user.locator("article.staff-reply");
    await reply.waitFor({ timeout: 15_000 });
    expect(await reply.textContent()).toContain("人工回复");
    expect(await reply.textContent()).toContain("歇业备案后3年之内可以随时恢复经营。");

    await desk.fill("#teach-measure", MEASURE);
    await desk.locator("#teach").click();
    await desk.locator("#status", { hasText: "已加入问题库" }).waitFor();

    const next = await browser.newPage();
    await next.goto(base);
    await next.fill("#question", "请问我们店歇业备案以后多久之内还能恢复营业呢");
    await next.click("form.ask button[type=submit]");
    const answer = next.locator("article.turn").first();
    await answer.waitFor();
    await next.locator("article.turn .a", { hasText: "3年之内可以随时恢复经营" }).waitFor();
  });
});
