import { readdirSync } from "node:fs";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { WechatyInterface } from "wechaty/impls";
import { fakeAnswer } from "../../test/fake-answer.js";
import { FakeSlackApi } from "../../test/fake-slack.js";
import { silentLogger, temporaryDirectory, testSettings } from "../../test/helpers.js";
import { loadConfig } from "../config.js";
import type { Channel } from "../core/channel.js";
import type { DispatchResult } from "../core/dispatch.js";
import { createRuntime, type Runtime } from "../core/runtime.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { CHANNELS } from "../store/store.js";
import type { Answer } from "../types.js";
import { cliChannel } from "./cli.js";
import { httpChannel } from "./http/server.js";
import { slackChannel } from "./slack/slack-app.js";
import { wechatyChannel } from "./wechat/wechat-bot.js";
import { AES_KEY, CREDENTIALS, MP_TOKEN, WORK_TOKEN } from "./wechat-official/__fixtures__/harness.js";
import { wechatOfficialChannel } from "./wechat-official/index.js";

/** An answer whose 文号 is only in its citation: a render that worked from `text` alone could not show it. */
const citation = {
  marker: 1,
  kind: "measure",
  documentId: "doc-1",
  text: "检验检测费用减半收取。",
  document: "关于降低企业成本的通知",
  docNumber: "新政发〔2023〕1号",
  issuer: "自治区人民政府",
  region: "新疆",
  path: "二、（五）",
  pages: [3],
  score: 1,
  status: "active",
} as Answer["citations"][number];
const answered: DispatchResult = {
  kind: "answer",
  answer: fakeAnswer({ body: "检验检测费用减半[1]。", text: "只有文字", citations: [citation] }),
  conversationId: "c1",
};
const knowledgeBase = { documentsById: new Map([["doc-1", { shortTitle: "降成本通知" }]]) } as unknown as KnowledgeBase;
const ask = async () => fakeAnswer();

/** Every channel module, by the folder or file it lives in under src/channels, with its Channel. */
function channels(runtime: Runtime) {
  const listeners = new Map<string, unknown>();
  const bot = {
    on: (event: string, listener: unknown) => listeners.set(event, listener),
    off: (event: string) => listeners.delete(event),
  } as unknown as WechatyInterface;
  const routes: string[] = [];
  const store = openSqliteStore(":memory:");
  const slack = { ask, store, knowledgeBase, botToken: "xoxb-test", signingSecret: "secret", apiUrl: slackApi.url, exampleQuestions: [] };
  return {
    listeners,
    routes,
    byModule: {
      wechat: wechatyChannel({ bot, ask, store, shortTitles: new Map([["doc-1", "降成本通知"]]) }),
      "wechat-official": wechatOfficialChannel({ route: (path: string) => routes.push(path) }, { runtime, store, examples: ["示例？"] }),
      slack: slackChannel(slack),
      // The server closes the store it is given when it stops.
      http: httpChannel(runtime, 0, openSqliteStore(":memory:")),
      "cli.ts": cliChannel({ ask, input: new PassThrough(), output: new PassThrough(), examples: [] }),
    } satisfies Record<string, Channel<unknown>>,
  };
}

const slackApi = new FakeSlackApi();
let built: ReturnType<typeof channels>;
beforeAll(async () => {
  await slackApi.start();
  const config = loadConfig({
    ...testSettings(temporaryDirectory()),
    DATABASE_PATH: ":memory:",
    HOST: "127.0.0.1",
    WECHAT_MP_TOKEN: MP_TOKEN,
    WECHAT_MP_APP_ID: CREDENTIALS.appId,
    WECHAT_MP_APP_SECRET: CREDENTIALS.appSecret,
    WECOM_CORP_ID: CREDENTIALS.corpId,
    WECOM_AGENT_ID: "1000002",
    WECOM_SECRET: CREDENTIALS.corpSecret,
    WECOM_TOKEN: WORK_TOKEN,
    WECOM_AES_KEY: AES_KEY,
  });
  built = channels({ ...(await createRuntime(config, silentLogger)), knowledgeBase });
}, 60_000);

describe("every channel is a Channel (core/channel.ts)", () => {
  it("each channel module under src/channels exposes one", () => {
    const modules = readdirSync(new URL(".", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || ["cli.ts"].includes(entry.name))
      .map((entry) => entry.name)
      .sort();
    expect(Object.keys(built.byModule).sort()).toEqual(modules);
  });

  it("with start, stop and render, under stored channel names", () => {
    for (const [module, channel] of Object.entries(built.byModule)) {
      expect([typeof channel.start, typeof channel.stop, typeof channel.render], module).toEqual(["function", "function", "function"]);
      expect(channel.names.length, module).toBeGreaterThan(0);
      for (const name of channel.names) expect(CHANNELS, module).toContain(name);
    }
    expect(built.byModule["wechat-official"].names).toEqual(["wechat-mp", "wecom"]);
  });

  it("render takes the dispatch result with its structured Answer, not a string, and shows the citation's parts", () => {
    const { byModule } = built;
    expectTypeOf(byModule.wechat.render).parameter(0).toEqualTypeOf<DispatchResult>();
    expectTypeOf(byModule["wechat-official"].render).parameter(0).toEqualTypeOf<DispatchResult>();
    expectTypeOf(byModule.slack.render).parameter(0).toEqualTypeOf<DispatchResult>();
    expectTypeOf(byModule.http.render).parameter(0).toEqualTypeOf<DispatchResult>();
    expectTypeOf(byModule["cli.ts"].render).parameter(0).toEqualTypeOf<DispatchResult>();
    for (const [module, channel] of Object.entries(byModule)) {
      const rendered = JSON.stringify(channel.render(answered));
      expect(rendered, module).toContain("检验检测费用减半");
      expect(rendered, module).toContain("新政发〔2023〕1号");
    }
  });

  it("start and stop: the wechaty bot listens and lets go, the official callbacks mount once, the terminal answers, the server listens", async () => {
    const { byModule, listeners, routes } = built;
    await byModule.wechat.start();
    expect([...listeners.keys()].sort()).toEqual(["login", "logout", "message"]);
    await byModule.wechat.stop();
    expect(listeners.size).toBe(0);

    await byModule["wechat-official"].start();
    await byModule["wechat-official"].start();
    expect(routes).toEqual(["/"]);
    await byModule["wechat-official"].stop();

    const input = new PassThrough();
    const output = new PassThrough();
    const written: string[] = [];
    output.on("data", (chunk) => written.push(String(chunk)));
    const cli = cliChannel({ ask, input, output, examples: [] });
    await cli.start();
    input.write("帮助\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await cli.stop();
    expect(written.join("")).toContain("惠企政策问答");
    expect(written.join("")).toMatch(/帮助|示例/);

    const http = byModule.http;
    await http.start();
    const port = http.running?.port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await http.stop();
    expect(http.running).toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

afterAll(async () => {
  await slackApi.stop();
});
