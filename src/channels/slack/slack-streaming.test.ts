import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../../../test/fake-openai.js";
import { FakeSlackApi, postSignedBySlack } from "../../../test/fake-slack.js";
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
    DOCUMENTS_DIR: temporaryDirectory(),
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

function mention(eventId: string, ts: string, channel: string, question: string) {
  const body = JSON.stringify({
    type: "event_callback",
    event_id: eventId,
    team_id: "T1",
    api_app_id: "A1",
    event: { type: "app_mention", user: "U1", text: `<@UBOT> ${question}`, ts, channel, event_ts: ts },
  });
  return postSignedBySlack(`http://127.0.0.1:${slack.port}/slack/events`, SECRET, body);
}

/** The final update is the one with blocks; it arrives last of all updates to its message. */
async function finalUpdate(channel: string) {
  const [placeholder] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === channel });
  const ts = (await slackApi.waitFor("chat.update", { where: (p) => p.channel === channel && !!p.blocks }))[0].params.ts;
  return { placeholder, updates: slackApi.of("chat.update", (p) => p.channel === channel && p.ts === ts) };
}

describe("Slack with a model configured", () => {
  it("posts a placeholder, shows verified drafts, and ends with the verified answer even when drafts are slow", async () => {
    // A draft update answered late used to land after the final one and replace it (issue 11).
    slackApi.delayMs = (call) => (call.method === "chat.update" && !call.params.blocks ? 150 : 0);
    model.queue.push({ kind: "reply", content: "刻章备案的办理时限压缩至1个工作日[1]。由公安机关办理[1]。" });
    await mention("EvStream1", "900.1", "C9", "公司刻章备案要多长时间？");
    const { placeholder, updates } = await finalUpdate("C9");
    expect(placeholder.params).toMatchObject({ thread_ts: "900.1", text: "正在查找相关条款…" });
    const drafts = updates.filter((u) => !u.params.blocks);
    expect(drafts.length).toBeGreaterThan(0);
    const final = updates.at(-1)!;
    expect(final.params.blocks).toBeDefined();
    expect(String(final.params.text)).toContain("1个工作日[1]");
    expect(JSON.stringify(final.params.blocks)).toContain("feedback_up");
    expect(model.chatRequests()[0].body.stream).toBe(true);
  });

  it("escapes every text it sends, drafts included, so a model cannot notify a channel or slip in a link", async () => {
    slackApi.delayMs = () => 0;
    // The verifier rejects latin words no clause has (channel, here, U0ADMIN), so what it lets through is escaped brackets around Chinese text.
    model.queue.push(
      { kind: "reply", content: "<刻章备案>的办理时限压缩至1个工作日[1]。<!channel> <@U0ADMIN> 请到 <http://evil.example/login|政务网> 登记银行卡[1]。" },
      { kind: "reply", content: "<公司刻章>备案的办理时限压缩至1个工作日[1]。" },
    );
    await mention("EvStream2", "901.1", "C10", "公司刻章备案要多长时间？");
    const { updates } = await finalUpdate("C10");
    const sent = JSON.stringify(slackApi.calls.filter((c) => c.params.channel === "C10").map((c) => c.params));
    for (const control of ["<!channel>", "<!here>", "<@U0ADMIN>", "<http"]) expect(sent).not.toContain(control);
    expect(sent).not.toContain("evil.example");
    expect(String(updates[0].params.text)).toContain("&lt;刻章备案&gt;");
    const final = updates.at(-1)!;
    expect(String(final.params.text)).toContain("&lt;公司刻章&gt;");
    expect(JSON.stringify(final.params.blocks)).toContain("&lt;公司刻章&gt;");
  });
});
