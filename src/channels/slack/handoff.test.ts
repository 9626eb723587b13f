import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi, postSignedBySlack } from "../../../test/fake-slack.js";
import { FakeWechatApi } from "../../../test/fake-wechat-api.js";
import { silentLogger, temporaryDirectory, testSettings } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime, type Runtime } from "../../core/runtime.js";
import { HandoffService } from "../../handoff/handoff-service.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { slackClient, slackHandoffListener } from "./handoff.js";
import { type RunningSlack, startSlack } from "./start.js";

const SECRET = "test-signing-secret";
const HANDOFF_CHANNEL = "C_HOTLINE";
const CREDENTIALS = { appId: "wx5f2a9c0e1b7d3a11", appSecret: "mp-app-secret-0d9f", corpId: "ww8c1d2e3f4a5b6c7d", corpSecret: "work-secret-51ab" };
const slackApi = new FakeSlackApi();
const wechatApi = new FakeWechatApi(CREDENTIALS);
let slack: RunningSlack;
let store: Store;
let runtime: Runtime;
/** Another instance (the HTTP server taking the 公众号 callback) on the same database, posting to the same Slack. */
let elsewhere: HandoffService;

let eventCounter = 0;
const signed = (body: string, contentType = "application/json") =>
  postSignedBySlack(`http://127.0.0.1:${slack.port}/slack/events`, SECRET, body, { contentType });
const event = (body: Record<string, unknown>) =>
  signed(JSON.stringify({ token: "t", team_id: "T1", api_app_id: "A1", type: "event_callback", event_id: `EvH${++eventCounter}`, event_time: 1, event: body }));
const click = (actionId: string, value: string, user = "U_ZHANG") =>
  signed(
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: "block_actions",
        user: { id: user, username: user === "U_ZHANG" ? "zhang" : "li" },
        team: { id: "T1" },
        channel: { id: HANDOFF_CHANNEL },
        container: { type: "message", channel_id: HANDOFF_CHANNEL },
        trigger_id: "tr",
        api_app_id: "A1",
        token: "t",
        actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
      }),
    )}`,
    "application/x-www-form-urlencoded",
  );

beforeAll(async () => {
  await slackApi.start();
  await wechatApi.start();
  const dir = temporaryDirectory();
  const config = loadConfig({
    ...testSettings(dir),
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
    SLACK_HOST: "127.0.0.1",
    SLACK_HANDOFF_CHANNEL: HANDOFF_CHANNEL,
    WECHAT_MP_TOKEN: "mpCallbackToken7f3a",
    WECHAT_MP_APP_ID: CREDENTIALS.appId,
    WECHAT_MP_APP_SECRET: CREDENTIALS.appSecret,
    WECHAT_API_URL: wechatApi.url,
  });
  runtime = await createRuntime(config, silentLogger);
  store = openSqliteStore(`${dir}/db.sqlite`);
  slack = await startSlack(runtime, 0, store);
  elsewhere = new HandoffService({ store, knowledgeBase: () => runtime.knowledgeBase });
  elsewhere.listen(slackHandoffListener({ client: slackClient("xoxb-test", slackApi.url), channel: HANDOFF_CHANNEL, service: elsewhere }));
});
afterAll(async () => {
  await slack?.stop();
  await slackApi.stop();
  await wechatApi.stop();
});

describe("hand-offs in Slack", () => {
  it("a new hand-off is posted in the channel with the conversation and 接单 / 关闭; one claim wins; a thread reply reaches the 公众号 user", async () => {
    const { handoff } = await elsewhere.create({
      channel: "wechat-mp",
      conversationId: "conv-mp-1",
      replyAddress: { address: "oUser123" },
      question: "我们店歇业备案以后，多久之内还能恢复营业？",
      history: [{ question: "我的电话是13912345678，歇业了怎么办", answer: "抱歉，没有找到。请拨打12345。" }],
    });
    const [post] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === HANDOFF_CHANNEL && !p.thread_ts });
    const text = JSON.stringify(post.params.blocks);
    expect(text).toContain("我们店歇业备案以后");
    expect(text).toContain("[手机号]");
    expect(text).not.toContain("13912345678");
    const actions = (post.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions");
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([
      ["handoff_claim", handoff.id],
      ["handoff_close", handoff.id],
    ]);
    const ts = String((await elsewhere.get(handoff.id))?.handoff.slack?.ts);

    expect((await click("handoff_claim", handoff.id)).status).toBe(200);
    await slackApi.waitFor("chat.update", { where: (p) => p.ts === ts });
    expect((await click("handoff_claim", handoff.id, "U_LI")).status).toBe(200);
    const [taken] = await slackApi.waitFor("chat.postEphemeral", { where: (p) => p.user === "U_LI" });
    expect(String(taken.params.text)).toContain("slack:zhang");
    expect((await elsewhere.get(handoff.id))?.handoff).toMatchObject({ status: "claimed", claimedBy: "slack:zhang" });

    // The answer: a reply in the message's thread, sent to the user through the customer-service API.
    await event({ type: "message", channel: HANDOFF_CHANNEL, user: "U_ZHANG", text: "歇业备案后3年之内可以随时恢复经营。", ts: `${ts}1`, thread_ts: ts });
    await wechatApi.waitFor(() => wechatApi.delivered("/cgi-bin/message/custom/send").length === 1, "the customer-service send");
    expect(wechatApi.delivered("/cgi-bin/message/custom/send")).toEqual([{ user: "oUser123", text: "【人工回复】歇业备案后3年之内可以随时恢复经营。" }]);
    const [said] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.thread_ts === ts && String(p.text).includes("已送达") });
    expect(said).toBeTruthy();
    const found = await elsewhere.get(handoff.id);
    expect(found?.handoff.status).toBe("answered");
    expect(found?.messages).toMatchObject([{ author: "staff", actor: "slack:U_ZHANG", delivery: "delivered" }]);

    expect((await click("handoff_close", handoff.id)).status).toBe(200);
    await slackApi.waitFor("chat.update", { count: 3, where: (p) => p.ts === ts });
    expect((await elsewhere.get(handoff.id))?.handoff.status).toBe("closed");
  });

  it("outside WeChat's 48-hour window the reply is not sent, and staff are told in the thread", async () => {
    const { handoff } = await elsewhere.create({
      channel: "wechat-mp",
      conversationId: "conv-mp-2",
      replyAddress: { address: "oUser456" },
      question: "问题",
      history: [],
    });
    await store.db
      .updateTable("handoffs" as never)
      .set({ last_user_at: "2026-01-01T00:00:00.000Z" } as never)
      .where("id" as never, "=", handoff.id as never)
      .execute();
    const ts = String((await elsewhere.get(handoff.id))?.handoff.slack?.ts);
    await event({ type: "message", channel: HANDOFF_CHANNEL, user: "U_ZHANG", text: "答复", ts: `${ts}9`, thread_ts: ts });
    const [told] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.thread_ts === ts && String(p.text).includes("无法送达") });
    expect(String(told.params.text)).toContain("48小时");
    expect(wechatApi.delivered("/cgi-bin/message/custom/send").map((d) => d.user)).not.toContain("oUser456");
  });
});
