import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi, postSignedBySlack, type SignedPostOptions } from "../../../test/fake-slack.js";
import { SEEDS_DIR, silentLogger, temporaryDirectory, testSettings } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { loadExampleQuestions } from "../examples.js";
import { type RunningSlack, startSlack } from "./start.js";

const SECRET = "test-signing-secret";
const slackApi = new FakeSlackApi();
let slack: RunningSlack;
let store: Store;
let url: string;
/** Every question the app asked, in order: what was answered, whatever Slack saw. */
const asked: string[] = [];
const inThread = (channel: string, threadTs: string) => (params: Record<string, unknown>) => params.channel === channel && params.thread_ts === threadTs;

function signedPost(body: string, { secret = SECRET, ...options }: SignedPostOptions & { secret?: string } = {}) {
  return postSignedBySlack(url, secret, body, options);
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

let runtime: Awaited<ReturnType<typeof createRuntime>>;

beforeAll(async () => {
  await slackApi.start();
  const dir = temporaryDirectory();
  const config = loadConfig({
    ...testSettings(dir),
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
    SLACK_HOST: "127.0.0.1",
  });
  runtime = await createRuntime(config, silentLogger);
  store = openSqliteStore(`${dir}/db.sqlite`);
  // Questions an anonymous asker could push to the top of "most asked" (issue 17, item 6).
  for (let i = 0; i < 5; i++) await store.recordTurn({ channel: "api", question: "加微信领补贴", answer: await runtime.ask("公司刻章备案要多长时间？") });
  const recordingAsk: typeof runtime.ask = (question, history, options) => {
    asked.push(question);
    return runtime.ask(question, history, options);
  };
  slack = await startSlack({ ...runtime, ask: recordingAsk }, 0, store);
  url = `http://127.0.0.1:${slack.port}/slack/events`;
});
afterAll(async () => {
  await slack?.stop();
  await slackApi.stop();
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
    const [post] = await slackApi.waitFor("chat.postMessage", { where: inThread("C1", "111.1") });
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
    const [post] = await slackApi.waitFor("chat.postMessage", { where: inThread("D1", "222.2") });
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
    const [suggested] = await slackApi.waitFor("assistant.threads.setSuggestedPrompts", { where: (p) => p.channel_id === "D2" });
    const [greeting] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === "D2" });
    expect(String(greeting.params.text)).toContain("惠企政策助手");
    // Curated examples, never the most-asked questions anonymous users can stuff.
    const prompts = suggested.params.prompts as Array<{ message: string }>;
    expect(prompts.map((p) => p.message)).toEqual(loadExampleQuestions().slice(0, 4));
    expect(JSON.stringify(prompts)).not.toContain("加微信");

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
    const inD2 = (p: Record<string, unknown>) => p.channel === "D2";
    const answered = await slackApi.waitFor("chat.postMessage", { count: 2, where: inD2 });
    expect(slackApi.of("assistant.threads.setStatus", (p) => p.channel_id === "D2")[0].params).toMatchObject({
      thread_ts: "333.3",
      status: "正在查找相关条款…",
    });
    expect(slackApi.of("assistant.threads.setTitle", (p) => p.channel_id === "D2")[0].params.title).toContain("哈密市居民用非电网直供电");
    expect(String(answered[1].params.text)).toContain("0.39");

    await signedPost(
      eventBody({ type: "message", channel_type: "im", user: "U1", text: "那农业用电呢？", ts: "333.6", thread_ts: "333.3", channel: "D2", event_ts: "333.6" }),
    );
    const posts = await slackApi.waitFor("chat.postMessage", { count: 3, where: inD2 });
    expect(String(posts[2].params.text).slice(0, 200)).toContain("0.312");
  });

  it("answers a retried event once", async () => {
    const question = "专利年费没按时交会有滞纳金吗？";
    const body = eventBody({ type: "app_mention", user: "U1", text: `<@UBOT> ${question}`, ts: "444.1", channel: "C4", event_ts: "444.1" }, "EvRetry");
    await signedPost(body);
    await slackApi.waitFor("chat.postMessage", { where: inThread("C4", "444.1") });
    await signedPost(body, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    // A later event answered means the retry, which came first, has been handled too.
    await signedPost(eventBody({ type: "app_mention", user: "U1", text: "<@UBOT> 公司刻章备案要多长时间？", ts: "444.2", channel: "C4", event_ts: "444.2" }));
    await slackApi.waitFor("chat.postMessage", { where: inThread("C4", "444.2") });
    expect(asked.filter((q) => q === question)).toHaveLength(1);
    expect(slackApi.of("chat.postMessage", inThread("C4", "444.1"))).toHaveLength(1);
  });

  it("ignores messages from other bots, in direct messages and mentions", async () => {
    const question = "个体工商户歇业最长能保留多久？";
    const otherBot = { user: "UOTHER", bot_id: "BOTHER", text: `<@UBOT> ${question}` };
    await signedPost(eventBody({ type: "message", channel_type: "im", ...otherBot, ts: "555.1", channel: "D5", event_ts: "555.1" }));
    await signedPost(eventBody({ type: "app_mention", ...otherBot, ts: "555.2", channel: "C5", event_ts: "555.2" }));
    await signedPost(
      eventBody({ type: "message", channel_type: "im", user: "U1", text: "公司刻章备案要多长时间？", ts: "555.3", channel: "D5", event_ts: "555.3" }),
    );
    await slackApi.waitFor("chat.postMessage", { where: inThread("D5", "555.3") });
    expect(asked).not.toContain(question);
    expect(slackApi.of("chat.postMessage", (p) => p.thread_ts === "555.1" || p.thread_ts === "555.2")).toHaveLength(0);
  });

  it("stores a feedback click with the answer", async () => {
    await signedPost(
      eventBody({ type: "app_mention", user: "U1", text: "<@UBOT> 上海市对餐饮企业有没有房租减免？", ts: "666.1", channel: "C6", event_ts: "666.1" }),
    );
    const [post] = await slackApi.waitFor("chat.postMessage", { where: inThread("C6", "666.1") });
    const blocks = post.params.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
    const down = blocks.at(-1)!.elements!.find((e) => e.action_id === "feedback_down")!;
    const payload = {
      type: "block_actions",
      user: { id: "U1" },
      team: { id: "T1" },
      channel: { id: "C6" },
      container: { type: "message", message_ts: "666.2", channel_id: "C6" },
      trigger_id: "tr",
      api_app_id: "A1",
      token: "t",
      actions: [{ type: "button", action_id: "feedback_down", block_id: "feedback", value: down.value, action_ts: "1" }],
    };
    const click = () => signedPost(`payload=${encodeURIComponent(JSON.stringify(payload))}`, { contentType: "application/x-www-form-urlencoded" });
    expect((await click()).status).toBe(200);
    const [thanks] = await slackApi.waitFor("chat.postEphemeral", { where: (p) => p.channel === "C6" });
    expect(thanks.params).toMatchObject({ channel: "C6", user: "U1", text: "感谢反馈！" });
    const row = (await store.unanswered()).find((r) => r.answerId === down.value);
    expect(row).toMatchObject({ rating: "down", channel: "slack", refused: true, question: "上海市对餐饮企业有没有房租减免？" });
    // One rating per Slack user per answer.
    await click();
    const replies = await slackApi.waitFor("chat.postEphemeral", { count: 2, where: (p) => p.channel === "C6" });
    expect(replies[1].params.text).toBe("您已评价过这条答案。");
  });
});

describe("Slack configuration", () => {
  it("listens on SLACK_HOST", () => {
    expect(slack.host).toBe("127.0.0.1");
  });

  it("names the missing variable", async () => {
    const dir = temporaryDirectory();
    const runtime = await createRuntime(
      loadConfig({ DOCUMENTS_DIR: temporaryDirectory(), SEEDS_DIR, INDEX_DIR: `${dir}/index`, SLACK_SIGNING_SECRET: "x" }),
      silentLogger,
    );
    await expect(startSlack(runtime, 0, openSqliteStore(":memory:"))).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });
});
