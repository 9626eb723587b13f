import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi, postSignedBySlack } from "../../../test/fake-slack.js";
import { silentLogger, temporaryDirectory, testSettings } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime, type Runtime } from "../../core/runtime.js";
import { QuestionLibrary } from "../../library/question-library.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { NOT_OFFERED, NOT_STAFF } from "./library-modal.js";
import { type RunningSlack, startSlack } from "./start.js";

const SECRET = "library-signing-secret";
const slackApi = new FakeSlackApi();
let slack: RunningSlack;
let runtime: Runtime;
let library: QuestionLibrary;
let url: string;

const interaction = (payload: object) =>
  postSignedBySlack(url, SECRET, `payload=${encodeURIComponent(JSON.stringify(payload))}`, { contentType: "application/x-www-form-urlencoded" });
const base = { user: { id: "U7", username: "hotline" }, team: { id: "T1" }, api_app_id: "A1", token: "t" };

beforeAll(async () => {
  await slackApi.start();
  const dir = temporaryDirectory();
  const config = loadConfig({
    ...testSettings(dir),
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
    SLACK_HOST: "127.0.0.1",
    SLACK_STAFF_USERS: "U7,U9",
  });
  const store = openSqliteStore(`${dir}/db.sqlite`);
  await store.ready;
  library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  runtime = await createRuntime(config, silentLogger, { library });
  slack = await startSlack(runtime, 0, store);
  url = `http://127.0.0.1:${slack.port}/slack/events`;
});
afterAll(async () => {
  await slack?.stop();
  await slackApi.stop();
});

describe("需改进 in Slack opens the question library's modal", () => {
  it("links the question to the clause picked, so the next ask is answered from it; a submission with nothing picked is sent back", async () => {
    const question = "饭店老被查怎么办？";
    await postSignedBySlack(
      url,
      SECRET,
      JSON.stringify({
        token: "t",
        team_id: "T1",
        api_app_id: "A1",
        type: "event_callback",
        event_id: "EvLib1",
        event_time: 1,
        event: { type: "app_mention", user: "U7", text: `<@UBOT> ${question}`, ts: "777.1", channel: "C7", event_ts: "777.1" },
        authorizations: [{ user_id: "UBOT", is_bot: true }],
      }),
    );
    const [post] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === "C7" && p.thread_ts === "777.1" });
    expect(String(post.params.text)).toContain("没有找到");
    const blocks = post.params.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
    const down = blocks.at(-1)!.elements!.find((e) => e.action_id === "feedback_down")!;

    await interaction({
      ...base,
      type: "block_actions",
      channel: { id: "C7" },
      container: { type: "message", message_ts: "777.2", channel_id: "C7" },
      trigger_id: "trigger-1",
      actions: [{ type: "button", action_id: "feedback_down", block_id: "feedback", value: down.value, action_ts: "1" }],
    });
    const [opened] = await slackApi.waitFor("views.open");
    expect(opened.params.trigger_id).toBe("trigger-1");
    const view = (typeof opened.params.view === "string" ? JSON.parse(opened.params.view) : opened.params.view) as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id: string; element: { initial_value?: string; options?: Array<{ value: string; text: { text: string } }> } }>;
    };
    expect(view.callback_id).toBe("library_link");
    expect(view.blocks[0].element.initial_value).toBe(question);
    const inspection = runtime.knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
    const options = view.blocks[1].element.options!;
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((o) => o.text.text.length <= 75)).toBe(true);
    expect(view.blocks[2].element.options!.map((o) => o.value)).toContain("personal-matter");

    const submit = (measure: string | null, refusal: string | null, user = base.user) =>
      interaction({
        ...base,
        user,
        type: "view_submission",
        trigger_id: "trigger-2",
        view: {
          id: "V1",
          type: "modal",
          callback_id: "library_link",
          private_metadata: view.private_metadata,
          state: {
            values: {
              question: { value: { type: "plain_text_input", value: question } },
              measure: { value: { type: "static_select", selected_option: measure ? { value: measure, text: { type: "plain_text", text: "x" } } : null } },
              refusal: { value: { type: "static_select", selected_option: refusal ? { value: refusal, text: { type: "plain_text", text: "x" } } : null } },
            },
          },
        },
      });
    const empty = await submit(null, null);
    expect(await empty.json()).toMatchObject({ response_action: "errors", errors: { measure: expect.stringContaining("请选择") } });
    const gone = await submit("no-such-measure", null);
    expect(await gone.json()).toMatchObject({ response_action: "errors", errors: { measure: NOT_OFFERED } });
    // A real clause, but not one of those offered for this question: a forged value is refused, not saved.
    const offered = new Set(options.map((o) => o.value));
    const other = runtime.knowledgeBase.corpus.measures.find((m) => !offered.has(m.id))!;
    expect(await (await submit(other.id, null)).json()).toMatchObject({ response_action: "errors", errors: { measure: NOT_OFFERED } });
    // A user who is not on SLACK_STAFF_USERS cannot save, even with a clause that was offered.
    const guest = await submit(inspection.id, null, { id: "U8", username: "guest" });
    expect(await guest.json()).toMatchObject({ response_action: "errors", errors: { question: NOT_STAFF } });
    expect(library.taught(question)).toBeUndefined();

    const saved = await submit(inspection.id, null);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toBe("");
    expect(library.taught(question)).toMatchObject({ measureIds: [inspection.id], createdBy: "slack:U7" });
    const [confirmation] = await slackApi.waitFor("chat.postEphemeral", { where: (p) => p.channel === "C7" && String(p.text).includes("问题库") });
    expect(confirmation.params.user).toBe("U7");
    const answer = await runtime.ask(question);
    expect(answer.libraryEntryId).toBeDefined();
    expect(answer.citations[0].measureId).toBe(inspection.id);
  });

  it("opens no modal for a user who is not staff: the rating is kept, the library form is not offered", async () => {
    await postSignedBySlack(
      url,
      SECRET,
      JSON.stringify({
        token: "t",
        team_id: "T1",
        api_app_id: "A1",
        type: "event_callback",
        event_id: "EvLib2",
        event_time: 2,
        event: { type: "app_mention", user: "U8", text: "<@UBOT> 公司刻章备案要多长时间？", ts: "888.1", channel: "C8", event_ts: "888.1" },
        authorizations: [{ user_id: "UBOT", is_bot: true }],
      }),
    );
    const [post] = await slackApi.waitFor("chat.postMessage", { where: (p) => p.channel === "C8" && p.thread_ts === "888.1" });
    const blocks = post.params.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
    const down = blocks.at(-1)!.elements!.find((e) => e.action_id === "feedback_down")!;
    await interaction({
      ...base,
      user: { id: "U8", username: "guest" },
      type: "block_actions",
      channel: { id: "C8" },
      container: { type: "message", message_ts: "888.2", channel_id: "C8" },
      trigger_id: "trigger-guest",
      actions: [{ type: "button", action_id: "feedback_down", block_id: "feedback", value: down.value, action_ts: "2" }],
    });
    // The thanks is sent after the modal would have opened, so once it is here the modal is known not to.
    await slackApi.waitFor("chat.postEphemeral", { where: (p) => p.channel === "C8" && p.user === "U8" });
    expect(slackApi.of("views.open", (p) => p.trigger_id === "trigger-guest")).toEqual([]);
  });
});
