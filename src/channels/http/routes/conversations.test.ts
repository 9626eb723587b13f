import { describe, expect, it } from "vitest";
import { answers } from "../../../store/__fixtures__/log-contract.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { from, json, testApp } from "../__fixtures__/test-app.js";

const LOCAL = from("127.0.0.1");

async function loggedApp() {
  let clock = "2026-11-01T08:00:00.000Z";
  const store = openSqliteStore(":memory:", undefined, () => clock);
  await store.ready;
  const { app } = testApp({ store });
  await store.recordTurn({ channel: "wechat-mp", question: "检测费能减免吗", answer: answers.answered(["m-1"]) });
  clock = "2026-11-02T08:00:00.000Z";
  await store.recordTurn({ channel: "wecom", question: "上海的政策呢", answer: answers.refused("other-region") });
  await store.recordTurn({ channel: "slack", question: "在哪里办理", answer: answers.notStated() });
  clock = "2026-11-03T08:00:00.000Z";
  // A row kept before numbers were masked (or written by other code): the log masks it on the way out.
  await store.db.insertInto("conversations").values({ id: "old", channel: "api", created_at: clock, updated_at: clock }).execute();
  await store.db
    .insertInto("turns")
    .values({
      id: "raw-1",
      conversation_id: "old",
      channel: "api",
      question: '=HYPERLINK("http://x") 我的电话13812345678，身份证65010219900307123X',
      resolved_question: null,
      answer: "请拨打0991-2345678",
      refused: 0,
      mode: "extractive",
      citations: "[]",
      prompt_version: null,
      created_at: clock,
      outcome: "answered",
    })
    .execute();
  return { app, store };
}

const get = async (app: Awaited<ReturnType<typeof loggedApp>>["app"], path: string) => app.request(path, {}, LOCAL);

describe("GET /api/conversations", () => {
  it("is for staff only", async () => {
    const { app } = testApp({ adminToken: "boss" });
    expect((await app.request("/api/conversations", {}, from("203.0.113.9"))).status).toBe(401);
    expect((await app.request("/api/conversations", { headers: { authorization: "Bearer boss" } }, from("203.0.113.9"))).status).toBe(200);
    expect((await testApp().app.request("/api/conversations/export", {}, from("203.0.113.9"))).status).toBe(403);
  });

  it("lists turns newest first with channel, outcome and reason; the not-stated answer is answered; filters combine", async () => {
    const { app } = await loggedApp();
    const { rows } = await (await get(app, "/api/conversations")).json();
    expect(rows.map((r: { channel: string; outcome: string; notStated: boolean }) => [r.channel, r.outcome, r.notStated])).toEqual([
      ["api", "answered", false],
      ["slack", "answered", true],
      ["wecom", "refused", false],
      ["wechat-mp", "answered", false],
    ]);
    expect(rows[0].question).toBe('=HYPERLINK("http://x") 我的电话[手机号]，身份证[身份证号]');
    const questions = async (query: string) => (await (await get(app, `/api/conversations?${query}`)).json()).rows.map((r: { question: string }) => r.question);
    expect(await questions("outcome=refused")).toEqual(["上海的政策呢"]);
    expect(await questions("outcome=not-stated&from=2026-11-02&to=2026-11-02")).toEqual(["在哪里办理"]);
    expect(await questions("channel=wechat-mp&measureId=m-1")).toEqual(["检测费能减免吗"]);
    expect(await questions("q=%E4%B8%8A%E6%B5%B7")).toEqual(["上海的政策呢"]);
    expect(await questions("reason=other-region")).toEqual(["上海的政策呢"]);
  });

  it("pages with a cursor and refuses one it did not give, or a malformed day", async () => {
    const { app } = await loggedApp();
    const first = await (await get(app, "/api/conversations?limit=3")).json();
    expect(first.rows).toHaveLength(3);
    const second = await (await get(app, `/api/conversations?limit=3&cursor=${first.next}`)).json();
    expect(second.rows.map((r: { question: string }) => r.question)).toEqual(["检测费能减免吗"]);
    expect(second.next).toBeUndefined();
    const bad = await get(app, "/api/conversations?cursor=nonsense");
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe("cursor");
    expect((await (await get(app, "/api/conversations?from=2026-13")).json()).field).toBe("from");
  });

  it("stores questions from the console as web and from the API as api", async () => {
    const { app, store } = testApp();
    await app.request("/api/ask", json({ question: "接口问" }), LOCAL);
    await (await app.request("/api/ask/stream", json({ question: "工作台问" }), LOCAL)).text();
    const { rows } = await (await app.request("/api/conversations", {}, LOCAL)).json();
    expect(rows.map((r: { question: string; channel: string }) => [r.question, r.channel])).toEqual([
      ["工作台问", "web"],
      ["接口问", "api"],
    ]);
    await store.close();
  });
});

describe("GET /api/conversations/export", () => {
  it("CSV: Excel's byte-order mark, Chinese headers and labels, numbers masked, formulas kept as text, the filters applied", async () => {
    const { app } = await loggedApp();
    const response = await get(app, "/api/conversations/export?format=csv");
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="conversations-.*\.csv"/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith("\ufeff时间,渠道,结果,原因,问题")).toBe(true);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(5);
    expect(text).not.toMatch(/13812345678|65010219900307123X|2345678/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"") 我的电话[手机号]，身份证[身份证号]"`);
    expect(lines[1]).toContain("请拨打[电话]");
    expect(text).toContain("公众号,已作答");
    expect(text).toContain("企业微信,拒答,其他地区政策");
    expect(text).toContain("Slack,已作答（文件未写明）,文件未写明");
    const filtered = await (await get(app, "/api/conversations/export?format=csv&channel=wecom")).text();
    expect(filtered.trim().split("\r\n")).toHaveLength(2);
  });

  it("JSONL: one turn a line, as the list gives it, numbers masked", async () => {
    const { app } = await loggedApp();
    const response = await get(app, "/api/conversations/export?format=jsonl&from=2026-11-02");
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const rows = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.channel)).toEqual(["api", "slack", "wecom"]);
    expect(rows[0]).toMatchObject({ id: "raw-1", answer: "请拨打[电话]", outcome: "answered" });
    expect(rows[1]).toMatchObject({ outcome: "answered", notStated: true, refusalReason: "not-stated" });
  });

  it("exports more turns than one page holds, each once", async () => {
    const store = openSqliteStore(":memory:", undefined, () => "2026-11-05T00:00:00.000Z");
    await store.ready;
    const { app } = testApp({ store });
    await Promise.all(Array.from({ length: 1_234 }, (_, i) => store.recordTurn({ channel: "api", question: `问${i}`, answer: answers.answered() })));
    const lines = (await (await app.request("/api/conversations/export?format=jsonl", {}, LOCAL)).text()).trim().split("\n");
    expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(1_234);
  });
});

describe("GET /staff/conversations", () => {
  it("serves the page with the console's CSP and the labels filled in", async () => {
    const { app } = testApp();
    const response = await app.request("/staff/conversations");
    const html = await response.text();
    const nonce = response.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('"wechat-mp":"公众号"');
    expect(html).not.toContain("{{LABELS}}");
  });
});
