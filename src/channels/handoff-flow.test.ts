import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi, postSignedBySlack } from "../../test/fake-slack.js";
import { FakeWechatApi } from "../../test/fake-wechat-api.js";
import { silentLogger, temporaryDirectory, testSettings } from "../../test/helpers.js";
import { loadConfig } from "../config.js";
import { createRuntime } from "../core/runtime.js";
import { QuestionLibrary } from "../library/question-library.js";
import { openSqliteStore, type Store } from "../store/sqlite-store.js";
import { type RunningServer, startHttpServer } from "./http/server.js";
import { type RunningSlack, startSlack } from "./slack/start.js";
import { textMessage } from "./wechat-official/__fixtures__/harness.js";
import { createPlatform } from "./wechat-official/__fixtures__/platform.js";

const SIGNING_SECRET = "test-signing-secret";
const HANDOFF_CHANNEL = "C_HOTLINE";
const CREDENTIALS = { appId: "wx5f2a9c0e1b7d3a11", appSecret: "mp-app-secret-0d9f", corpId: "ww8c1d2e3f4a5b6c7d", corpSecret: "work-secret-51ab" };
const MP_TOKEN = "mpCallbackToken7f3a";
const MEASURE = "000_1a5470b786594f12-1-2";
const CUSTOM_SEND = "/cgi-bin/message/custom/send";

const slackApi = new FakeSlackApi();
const wechatApi = new FakeWechatApi(CREDENTIALS);
let server: RunningServer;
let slack: RunningSlack;
let base: string;
let library: QuestionLibrary;
/** A look into the shared database, as staff tooling would have. */
let reader: Store;

beforeAll(async () => {
  await slackApi.start();
  await wechatApi.start();
  const dir = temporaryDirectory();
  const config = loadConfig({
    ...testSettings(dir),
    DATABASE_PATH: `${dir}/db.sqlite`,
    HOST: "127.0.0.1",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApi.url,
    SLACK_HOST: "127.0.0.1",
    SLACK_HANDOFF_CHANNEL: HANDOFF_CHANNEL,
    HANDOFF_HOURS: "周一至周五 9:00-18:00",
    WECHAT_MP_TOKEN: MP_TOKEN,
    WECHAT_MP_APP_ID: CREDENTIALS.appId,
    WECHAT_MP_APP_SECRET: CREDENTIALS.appSecret,
    WECHAT_API_URL: wechatApi.url,
  });
  // As `npm start` and `npm run slack` wire it: two processes, one database.
  const httpStore = openSqliteStore(config.databasePath);
  await httpStore.ready;
  library = await QuestionLibrary.open({ db: httpStore.db, sqlite: httpStore.sqlite });
  const runtime = await createRuntime(config, silentLogger, { library });
  server = await startHttpServer(runtime, 0, httpStore);
  base = `http://127.0.0.1:${server.port}`;
  slack = await startSlack(runtime, 0, openSqliteStore(config.databasePath));
  reader = openSqliteStore(config.databasePath);
});
afterAll(async () => {
  await slack?.stop();
  await server?.close();
  await reader?.close();
  await slackApi.stop();
  await wechatApi.stop();
});

const mp = () => createPlatform({ url: `${base}/wechat/mp`, token: MP_TOKEN, receiverId: CREDENTIALS.appId, account: "gh_3f9a0c21b7de", now: Date.now });
const staff = async (path: string, body?: unknown) => {
  const response = await fetch(
    `${base}${path}`,
    body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  return { status: response.status, body: await response.json() };
};

describe("转人工 from the 公众号 to Slack and back, then taught", () => {
  it("a user writes 转人工 and a question; staff answer in the Slack thread; the user gets it; one click teaches it; the next paraphrase is answered from it", async () => {
    const platform = mp();
    const user = "oUserHandoff1";
    const first = await platform.send(textMessage(user, "转人工：我们店歇业备案以后，多久之内还能恢复营业？"));
    expect(first.reply?.Content).toContain("周一至周五 9:00-18:00");
    expect(first.reply?.Content).toContain("12345");

    const { body: open } = await staff("/api/handoffs?status=open");
    expect(open.handoffs).toHaveLength(1);
    const handoff = open.handoffs[0];
    expect(handoff).toMatchObject({ channel: "wechat-mp", question: "我们店歇业备案以后，多久之内还能恢复营业？", status: "open" });
    // The conversation log has the turn, as handed off, on the channel it came from.
    const { body: log } = await staff("/api/conversations?outcome=handed-off");
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]).toMatchObject({ channel: "wechat-mp", outcome: "handed-off", question: "转人工：我们店歇业备案以后，多久之内还能恢复营业？" });

    const [posted] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === HANDOFF_CHANNEL && !p.thread_ts });
    expect(JSON.stringify(posted.params.blocks)).toContain("我们店歇业备案以后");
    const thread = await slackThreadOf(handoff.id);
    await postSignedBySlack(
      `http://127.0.0.1:${slack.port}/slack/events`,
      SIGNING_SECRET,
      JSON.stringify({
        token: "t",
        team_id: "T1",
        api_app_id: "A1",
        type: "event_callback",
        event_id: "EvFlow1",
        event_time: 1,
        event: { type: "message", channel: HANDOFF_CHANNEL, user: "U_ZHANG", text: "歇业备案后3年之内可以随时恢复经营。", ts: `${thread}9`, thread_ts: thread },
      }),
    );
    await wechatApi.waitFor(() => wechatApi.delivered(CUSTOM_SEND).some((d) => d.user === user), "the staff answer through the customer-service API");
    expect(wechatApi.delivered(CUSTOM_SEND).filter((d) => d.user === user)).toEqual([{ user, text: "【人工回复】歇业备案后3年之内可以随时恢复经营。" }]);
    expect((await staff(`/api/handoffs/${handoff.id}`)).body).toMatchObject({ status: "answered", messages: [{ delivery: "delivered" }] });

    const taught = await staff(`/api/handoffs/${handoff.id}/teach`, { measureId: MEASURE });
    expect(taught.status).toBe(201);

    const next = await platform.send(textMessage("oUserHandoff2", "请问我们店歇业备案以后多久之内还能恢复营业呢"));
    expect(next.reply?.Content).toContain("歇业备案后3年之内可以随时恢复经营");
  });
});

/** The ts of the hand-off's message in the Slack channel, as the store keeps it. */
async function slackThreadOf(id: string): Promise<string> {
  const row = await reader.db
    .selectFrom("handoffs" as never)
    .select("slack_ts" as never)
    .where("id" as never, "=", id as never)
    .executeTakeFirst();
  return String((row as { slack_ts?: string } | undefined)?.slack_ts);
}
