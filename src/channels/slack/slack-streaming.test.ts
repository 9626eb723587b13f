import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../../../test/fake-openai.js";
import { FakeSlackApi } from "../../../test/fake-slack.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { type RunningSlack, startSlack } from "./start.js";

const SECRET = "stream-secret";
const slackApi = new FakeSlackApi();
const model = new FakeOpenAI();
let slack: RunningSlack;

beforeAll(async () => {
  await Promise.all([slackApi.start(), model.start()]);
  const dir = temporaryDirectory();
  const config = loadConfig({
    SEEDS_DIR,
    INDEX_DIR: `${dir}/index`,
    AS_OF_DATE: TODAY,
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: "k",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
  });
  slack = await startSlack(await createRuntime(config, silentLogger), 0, openSqliteStore(":memory:"));
});
afterAll(async () => {
  await slack?.stop();
  await Promise.all([slackApi.stop(), model.stop()]);
});

describe("Slack with a model configured", () => {
  it("posts a placeholder, then replaces it with the verified answer and its blocks", async () => {
    model.queue.push({ kind: "reply", content: "刻章备案的办理时限压缩至1个工作日[1]。" });
    const body = JSON.stringify({
      type: "event_callback",
      event_id: "EvStream1",
      team_id: "T1",
      api_app_id: "A1",
      event: { type: "app_mention", user: "U1", text: "<@UBOT> 公司刻章备案要多长时间？", ts: "900.1", channel: "C9", event_ts: "900.1" },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    await fetch(`http://127.0.0.1:${slack.port}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
      body,
    });
    const [placeholder] = await slackApi.waitFor("chat.postMessage");
    expect(placeholder.params).toMatchObject({ channel: "C9", thread_ts: "900.1", text: "正在查找相关条款…" });
    const updates = await slackApi.waitFor("chat.update");
    const final = updates.at(-1)!;
    expect(String(final.params.text)).toContain("1个工作日[1]");
    expect(JSON.stringify(final.params.blocks)).toContain("feedback_up");
    expect(model.chatRequests()[0].body.stream).toBe(true);
  });
});
