import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../../../test/fake-slack.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { type RunningSlack, startSlack } from "./start.js";

const SECRET = "test-signing-secret";
const slackApi = new FakeSlackApi();
let slack: RunningSlack;
let store: Store;
let url: string;

function signedPost(body: string, { contentType = "application/json", secret = SECRET, age = 0, headers = {} as Record<string, string> } = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000) - age);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature, ...headers },
    body,
  });
}

let eventCounter = 0;
const eventBody = (event: Record<string, unknown>, eventId = `Ev${++eventCounter}`) =>
  JSON.stringify({
    token: "t",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: eventId,
    event_time: 1,
    event,
    authorizations: [{ user_id: "UBOT", is_bot: true }],
  });

beforeAll(async () => {
  await slackApi.start();
  const dir = temporaryDirectory();
  const config = loadConfig({
    SEEDS_DIR,
    INDEX_DIR: `${dir}/index`,
    AS_OF_DATE: TODAY,
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
  });
  store = openSqliteStore(`${dir}/db.sqlite`);
  slack = await startSlack(await createRuntime(config, silentLogger), 0, store);
  url = `http://127.0.0.1:${slack.port}/slack/events`;
});
afterAll(async () => {
  await slack?.stop();
  await slackApi.stop();
});
beforeEach(() => {
  slackApi.calls.length = 0;
});

describe("Slack assistant over signed HTTP", () => {
  it("answers url_verification", async () => {
    const response = await signedPost(JSON.stringify({ type: "url_verification", challenge: "abc123", token: "t" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("abc123");
  });

  it("rejects a bad or stale signature with 401", async () => {
    expect((await signedPost(eventBody({ type: "app_mention" }), { secret: "wrong" })).status).toBe(401);
    expect((await signedPost(eventBody({ type: "app_mention" }), { age: 60 * 10 })).status).toBe(401);
  });

  it("answers an @mention in a thread, with the answer and citations in Block Kit", async () => {
    const response = await signedPost(
      eventBody({ type: "app_mention", user: "U1", text: "<@UBOT> 公司刻章备案要多长时间？", ts: "111.1", channel: "C1", event_ts: "111.1" }),
    );
    expect(response.status).toBe(200);
    const [post] = await slackApi.waitFor("chat.postMessage");
    expect(post.params).toMatchObject({ channel: "C1", thread_ts: "111.1" });
    const blocks = post.params.blocks as Array<{
      type: string;
      text?: { text: string };
      elements?: Array<{ text: string | { text: string }; action_id?: string }>;
    }>;
    expect(blocks[0].type).toBe("section");
    expect(blocks[0].text?.text).toContain("1个工作日");
    const context = blocks.find((b) => b.type === "context");
    expect(JSON.stringify(context)).toContain("新疆维吾尔自治区政法机关优化法治化营商环境50条措施");
    expect(blocks.at(-1)?.elements?.map((e) => e.action_id)).toEqual(["feedback_up", "feedback_down"]);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it("answers a direct message in its thread", async () => {
    await signedPost(
      eventBody({ type: "message", channel_type: "im", user: "U1", text: "现在办居民身份证要多少个工作日？", ts: "222.2", channel: "D1", event_ts: "222.2" }),
    );
    const [post] = await slackApi.waitFor("chat.postMessage");
    expect(post.params).toMatchObject({ channel: "D1", thread_ts: "222.2" });
    expect(String(post.params.text)).toContain("15个工作日");
  });

  it("runs an assistant thread: greeting and prompts, then a question and a follow-up", async () => {
    await signedPost(
      eventBody({
        type: "assistant_thread_started",
        assistant_thread: { user_id: "U1", context: {}, channel_id: "D2", thread_ts: "333.3" },
        event_ts: "333.4",
      }),
    );
    await slackApi.waitFor("assistant.threads.setSuggestedPrompts");
    expect(String(slackApi.of("chat.postMessage")[0].params.text)).toContain("惠企政策助手");

    await signedPost(
      eventBody({
        type: "message",
        channel_type: "im",
        user: "U1",
        text: "哈密市居民用非电网直供电，电价是多少？",
        ts: "333.5",
        thread_ts: "333.3",
        channel: "D2",
        event_ts: "333.5",
      }),
    );
    await slackApi.waitFor("chat.postMessage", 2);
    expect(slackApi.of("assistant.threads.setStatus")[0].params).toMatchObject({ channel_id: "D2", thread_ts: "333.3", status: "正在查找相关条款…" });
    expect(slackApi.of("assistant.threads.setTitle")[0].params.title).toContain("哈密市居民用非电网直供电");
    expect(String(slackApi.of("chat.postMessage")[1].params.text)).toContain("0.39");

    await signedPost(
      eventBody({ type: "message", channel_type: "im", user: "U1", text: "那农业用电呢？", ts: "333.6", thread_ts: "333.3", channel: "D2", event_ts: "333.6" }),
    );
    const posts = await slackApi.waitFor("chat.postMessage", 3);
    expect(String(posts[2].params.text).slice(0, 200)).toContain("0.312");
  });

  it("answers a retried event once", async () => {
    const body = eventBody(
      { type: "app_mention", user: "U1", text: "<@UBOT> 专利年费没按时交会有滞纳金吗？", ts: "444.1", channel: "C1", event_ts: "444.1" },
      "EvRetry",
    );
    await signedPost(body);
    await slackApi.waitFor("chat.postMessage");
    await signedPost(body, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    await new Promise((r) => setTimeout(r, 300));
    expect(slackApi.of("chat.postMessage")).toHaveLength(1);
  });

  it("ignores messages from bots, including itself", async () => {
    await signedPost(
      eventBody({
        type: "message",
        channel_type: "im",
        user: "UBOT",
        bot_id: "BBOT",
        text: "公司刻章备案要多长时间？",
        ts: "555.1",
        channel: "D1",
        event_ts: "555.1",
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(slackApi.of("chat.postMessage")).toHaveLength(0);
  });

  it("stores a feedback click with the answer", async () => {
    await signedPost(
      eventBody({ type: "app_mention", user: "U1", text: "<@UBOT> 上海市对餐饮企业有没有房租减免？", ts: "666.1", channel: "C1", event_ts: "666.1" }),
    );
    const [post] = await slackApi.waitFor("chat.postMessage");
    const blocks = post.params.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
    const down = blocks.at(-1)!.elements!.find((e) => e.action_id === "feedback_down")!;
    const payload = {
      type: "block_actions",
      user: { id: "U1" },
      team: { id: "T1" },
      channel: { id: "C1" },
      container: { type: "message", message_ts: "666.2", channel_id: "C1" },
      trigger_id: "tr",
      api_app_id: "A1",
      token: "t",
      actions: [{ type: "button", action_id: "feedback_down", block_id: "feedback", value: down.value, action_ts: "1" }],
    };
    const response = await signedPost(`payload=${encodeURIComponent(JSON.stringify(payload))}`, { contentType: "application/x-www-form-urlencoded" });
    expect(response.status).toBe(200);
    await slackApi.waitFor("chat.postEphemeral");
    const row = store.unanswered().find((r) => r.answerId === down.value);
    expect(row).toMatchObject({ rating: "down", channel: "slack", refused: true });
  });
});

describe("Slack configuration", () => {
  it("names the missing variable", async () => {
    const dir = temporaryDirectory();
    const runtime = await createRuntime(loadConfig({ SEEDS_DIR, INDEX_DIR: `${dir}/index`, SLACK_SIGNING_SECRET: "x" }), silentLogger);
    await expect(startSlack(runtime, 0, openSqliteStore(":memory:"))).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });
});
