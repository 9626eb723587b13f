import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WechatyBuilder } from "wechaty";
import type { WechatyInterface } from "wechaty/impls";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { FakeSlackApi, postSignedBySlack } from "../../test/fake-slack.js";
import { SEEDS_DIR, seedAsk, seedKnowledgeBase, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { type RunningSlack, startSlack } from "../channels/slack/start.js";
import { attachWechatBot } from "../channels/wechat/wechat-bot.js";
import { loadConfig } from "../config.js";
import { createRuntime } from "../core/runtime.js";
import { openSqliteStore } from "../store/sqlite-store.js";

/**
 * The matcher in conversation, on the real WeChat and Slack adapters, through
 * the one `ask` every channel calls.
 */
const PROFILE_QUESTION = "我是哈密的个体户，开饭馆的，有什么政策能享受？";
const FOLLOW_UP = "检测费那条具体怎么说？";

const until = async (check: () => boolean, timeoutMs = 15_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("matching on WeChat (wechaty-puppet-mock)", () => {
  const mocker = new mock.Mocker();
  let bot: WechatyInterface;
  let self: mock.ContactMock;

  beforeAll(async () => {
    const knowledgeBase = await seedKnowledgeBase();
    bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
    attachWechatBot({
      bot,
      ask: await seedAsk(),
      store: openSqliteStore(":memory:"),
      shortTitles: new Map(knowledgeBase.corpus.documents.map((d) => [d.id, d.shortTitle])),
      sendIntervalMs: 5,
    });
    await bot.start();
    const loggedIn = new Promise((resolve) => bot.once("login", resolve));
    self = mocker.createContact({ name: "政策助手" });
    mocker.login(self);
    await loggedIn;
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("answers a self-description with a short grouped list, then continues from it", async () => {
    const contact = mocker.createContact({ name: "饭馆老板" });
    const replies: string[] = [];
    (contact as unknown as { on(event: "message", listener: (message: mock.MessageMock) => void): void }).on("message", (message) => {
      if (message.talker().id === self.id) replies.push(String(message.payload.text ?? ""));
    });
    contact.say(PROFILE_QUESTION).to(self);
    await until(() => replies.join("").includes("【依据】"));
    const list = replies.join("\n");
    expect(list).toContain("根据您的情况（哈密市 · 个体工商户 · 餐饮）");
    expect(list).toContain("【减费降费】");
    expect(list).toContain("【已到期，仅供参考】");
    expect(list).toMatch(/另有\d+条可能适用的措施未列出/);
    expect(list).toContain("新市监机〔2023〕83号");
    expect(list).not.toContain("克拉玛依");

    replies.length = 0;
    contact.say(FOLLOW_UP).to(self);
    await until(() => replies.join("").includes("【依据】"));
    const detail = replies.join("\n");
    expect(detail).toContain("自治区产品质量监督检验研究院");
    expect(detail).toContain("30%-50%");
  });
});

describe("matching on Slack (Bolt over signed HTTP)", () => {
  const SECRET = "test-signing-secret";
  const slackApi = new FakeSlackApi();
  let slack: RunningSlack;
  let url: string;
  let counter = 0;

  const post = (event: Record<string, unknown>) => {
    const body = JSON.stringify({
      token: "t",
      team_id: "T1",
      api_app_id: "A1",
      type: "event_callback",
      event_id: `EvMatch${++counter}`,
      event_time: 1,
      event,
      authorizations: [{ user_id: "UBOT", is_bot: true }],
    });
    return postSignedBySlack(url, SECRET, body);
  };

  beforeAll(async () => {
    await slackApi.start();
    const dir = temporaryDirectory();
    const config = loadConfig({
      DOCUMENTS_DIR: temporaryDirectory(),
      SEEDS_DIR,
      INDEX_DIR: `${dir}/index`,
      AS_OF_DATE: TODAY,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackApi.url,
    });
    const runtime = await createRuntime(config, silentLogger);
    const { ask } = runtime;
    slack = await startSlack({ ...runtime, ask }, 0, openSqliteStore(`${dir}/db.sqlite`));
    url = `http://127.0.0.1:${slack.port}/slack/events`;
  });
  afterAll(async () => {
    await slack?.stop();
    await slackApi.stop();
  });

  it("answers a self-description in Block Kit with a context line per listed measure, then a follow-up in the thread", async () => {
    const inThread = (p: Record<string, unknown>) => p.channel === "D9" && p.thread_ts === "999.1";
    await post({ type: "message", channel_type: "im", user: "U1", text: PROFILE_QUESTION, ts: "999.1", channel: "D9", event_ts: "999.1" });
    const [list] = await slackApi.waitFor("chat.postMessage", { where: inThread });
    const blocks = list.params.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0].text?.text).toContain("根据您的情况（哈密市 · 个体工商户 · 餐饮）");
    expect(blocks[0].text?.text).toContain("【减费降费】");
    expect(blocks.length).toBeLessThanOrEqual(50);
    const contexts = blocks.filter((b) => b.type === "context").map((b) => JSON.stringify(b));
    expect(contexts.length).toBeGreaterThan(3);
    expect(contexts.some((c) => c.includes("已到期"))).toBe(true);

    await post({ type: "message", channel_type: "im", user: "U1", text: FOLLOW_UP, ts: "999.2", thread_ts: "999.1", channel: "D9", event_ts: "999.2" });
    const posts = await slackApi.waitFor("chat.postMessage", { count: 2, where: inThread });
    expect(String(posts[1].params.text)).toContain("自治区产品质量监督检验研究院");
  });
});
