import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackSignature } from "../src/channels/wechat-official/message-crypto.js";
import { makePdf } from "../src/ingest/__fixtures__/make-pdf.js";
import { noticePages, REGULATION_TITLE, regulationPages } from "../src/ingest/__fixtures__/regulation.js";
import { FakeSlackApi } from "./fake-slack.js";
import { call, type Instance, prebuiltIndex, SLACK_SECRET, STAFF_TOKEN, slackEvent, startInstance } from "./instances.js";
import { missingServices, type PostgresServer, type RedisServer, startPostgres, startRedis, waitFor } from "./services.js";

const missing = missingServices();
const MP_TOKEN = "mptoken";

/** A follower's text message to the 公众号 callback of `instance`, signed as the platform signs it. */
function officialMessage(instance: Instance, msgId: string, content: string, user = "o-follower-1") {
  const timestamp = String(Math.floor(Date.now() / 1000));
  // A fresh nonce per message, as the platform sends: a signed timestamp and nonce are bound to one message.
  const nonce = `n${msgId}`;
  const signature = callbackSignature([MP_TOKEN, timestamp, nonce]);
  const xml = `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  return fetch(`${instance.url}/wechat/mp?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, {
    method: "POST",
    body: xml,
    headers: { "content-type": "text/xml" },
  });
}

/**
 * Two `npm start` processes on different ports, as behind a load balancer,
 * against one PostgreSQL and one Redis: what one instance learns, the other knows.
 */
describe.skipIf(!!missing)("two instances on one PostgreSQL and one Redis", () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  let env: Record<string, string>;
  let slackB: Instance | undefined;
  const started: Instance[] = [];
  const slackApi = new FakeSlackApi();

  beforeAll(async () => {
    const [pgServer, redisServer, indexDir] = await Promise.all([startPostgres(), startRedis(), prebuiltIndex(), slackApi.start()]);
    [postgres, redis] = [pgServer, redisServer];
    env = {
      INDEX_DIR: indexDir,
      DATABASE_URL: await postgres.createDatabase("two"),
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: "5",
      // The periodic check is the safety net; the notices must do the work here.
      CHANGE_CHECK_INTERVAL_MS: "600000",
      // Uploads and the published set live in a folder every instance mounts.
      DOCUMENTS_DIR: mkdtempSync(join(tmpdir(), "relief-documents-")),
      // The 公众号 callback, plain mode; its API is never reached here (answers fit the passive reply).
      WECHAT_MP_TOKEN: MP_TOKEN,
      WECHAT_MP_APP_ID: "wx-test",
      WECHAT_MP_APP_SECRET: "secret",
      WECHAT_API_URL: "http://127.0.0.1:9",
    };
    // Started together: the migrations run once, under PostgreSQL's advisory lock.
    [a, b] = await Promise.all([startInstance("a", env), startInstance("b", env)]);
    started.push(a, b);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.stop()));
    await slackApi.stop();
    await redis?.stop();
    postgres?.destroy();
  });

  it("both report PostgreSQL and Redis in /readyz", async () => {
    for (const instance of [a, b]) {
      const { json } = await call(instance, "/readyz");
      expect(json).toMatchObject({ status: "ready", store: { database: { dialect: "postgres", reachable: true } }, shared: { ok: true, mode: "redis" } });
    }
  });

  it("feedback given on A appears in B's unanswered list", async () => {
    const asked = await call(a, "/api/ask", { body: { question: "公司刻章备案要多长时间？" }, client: "198.51.100.10" });
    expect(asked.json).toMatchObject({ stored: true });
    const answerId = asked.json.answerId as string;
    expect((await call(a, "/api/feedback", { body: { answerId, rating: "down", comment: "太慢" }, client: "198.51.100.10" })).status).toBe(200);
    const list = await call(b, "/api/library/unanswered", { staff: true, client: "198.51.100.11" });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ answerId, rating: "down", comment: "太慢" })]));
    // The same client rating again on B is the second rating it gave.
    expect((await call(b, "/api/feedback", { body: { answerId, rating: "down" }, client: "198.51.100.10" })).status).toBe(409);
  });

  it("a rate limit spent on A holds on B", async () => {
    const client = "203.0.113.7";
    for (let i = 0; i < 5; i++) expect((await call(a, "/api/examples", { client })).status).toBe(200);
    const refused = await call(b, "/api/examples", { client });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call(b, "/api/examples", { client: "203.0.113.8" })).status).toBe(200);
  });

  it("a conversation begun on A continues on B (follow-ups read the shared history)", async () => {
    const first = await call(a, "/api/ask", { body: { question: "公司刻章备案要多长时间？" }, client: "198.51.100.20" });
    const conversationId = first.json.conversationId as string;
    const second = await call(b, "/api/ask", { body: { question: "那个体户呢？", conversationId }, client: "198.51.100.20" });
    expect(second.json.conversationId).toBe(conversationId);
    expect(second.json.stored).toBe(true);
  });

  it("a library entry created on A changes B's answer; the delay is measured", async () => {
    const question = "开个小饭馆，证照能不能一趟办完？";
    const before = await call(b, "/api/ask", { body: { question }, client: "198.51.100.30" });
    expect(before.json.libraryEntryId).toBeUndefined();
    const measures = await call(a, "/api/measures?q=刻章", { client: "198.51.100.31" });
    const measureId = (measures.json.measures as Array<{ id: string }>)[0].id;
    const created = await call(a, "/api/library", { body: { question, measureIds: [measureId] }, staff: true, client: "198.51.100.31" });
    expect(created.status).toBe(201);
    const taughtAt = performance.now();
    let answer: Record<string, unknown> = {};
    let asks = 0;
    await waitFor(
      "B to answer from the new entry",
      async () => {
        asks++;
        answer = (await call(b, "/api/ask", { body: { question }, client: `198.51.100.${40 + (asks % 50)}` })).json;
        return answer.libraryEntryId === created.json.id;
      },
      10_000,
    );
    const delayMs = performance.now() - taughtAt;
    process.stdout.write(`library change on A reached B's answers after ${delayMs.toFixed(0)} ms (${asks} asks)\n`);
    // The periodic checks are 10 minutes apart here: the change feed carried it.
    expect(delayMs).toBeLessThan(2_000);
  });

  it("a document published on A is answered from on B; the delay is measured", async () => {
    const question = "昌吉市小微企业首贷贴息每户每年最高多少？";
    const citesRegulation = (answer: Record<string, unknown>) => JSON.stringify(answer.citations ?? []).includes(REGULATION_TITLE);
    expect(citesRegulation((await call(b, "/api/ask", { body: { question }, client: "198.51.100.60" })).json)).toBe(false);
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await makePdf(regulationPages()))], "首贷贴息办法.pdf", { type: "application/pdf" }));
    const uploaded = await fetch(`${a.url}/api/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${STAFF_TOKEN}`, "x-requested-with": "test", "x-forwarded-for": "198.51.100.61" },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const id = ((await uploaded.json()) as { documents: Array<{ id: string }> }).documents[0].id;
    expect((await call(a, `/api/documents/${id}/publish`, { body: {}, staff: true, client: "198.51.100.61" })).status).toBe(200);
    const publishedAt = performance.now();
    let asks = 0;
    await waitFor(
      "B to answer from the published document",
      async () => citesRegulation((await call(b, "/api/ask", { body: { question }, client: `198.51.100.${70 + (++asks % 50)}` })).json),
      15_000,
    );
    const delayMs = performance.now() - publishedAt;
    process.stdout.write(`document published on A answered on B after ${delayMs.toFixed(0)} ms (B rebuilds its index)\n`);
    expect(delayMs).toBeLessThan(5_000);
  });

  it("公众号: a message resent to B after A answered it is not answered again; the follower's next message on B continues the conversation", async () => {
    const first = await officialMessage(a, "880001", "公司刻章备案要多长时间？");
    expect(await first.text()).toContain("工作日");
    // The platform did not get the reply in time and resends, to the other instance.
    expect(await (await officialMessage(b, "880001", "公司刻章备案要多长时间？")).text()).toBe("success");
    expect(await (await officialMessage(b, "880002", "那个体户呢？")).text()).toContain("<xml>");
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query("SELECT question, conversation_id FROM turns WHERE channel = 'wechat-mp' ORDER BY created_at");
    await client.end();
    expect(rows.map((r) => r.question)).toEqual(["公司刻章备案要多长时间？", "那个体户呢？"]);
    expect(rows[1].conversation_id).toBe(rows[0].conversation_id);
  });

  it("a Slack event delivered to A and retried to B is answered once", async () => {
    const slackEnv = { ...env, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slackApi.url, RATE_LIMIT_PER_MINUTE: "1000" };
    const [slackA, second] = await Promise.all([startInstance("slack-a", slackEnv, "slack"), startInstance("slack-b", slackEnv, "slack")]);
    slackB = second;
    started.push(slackA, second);
    const mention = (ts: string, text = "<@UBOT> 公司刻章备案要多长时间？") => ({ type: "app_mention", user: "U1", text, ts, channel: "C1", event_ts: ts });
    const inThread = (ts: string) => (params: Record<string, unknown>) => params.channel === "C1" && params.thread_ts === ts;

    expect((await slackEvent(slackA, "EvTwice", mention("500.1"))).status).toBe(200);
    await slackApi.waitFor("chat.postMessage", { where: inThread("500.1") });
    // Slack did not see the acknowledgement in time and retries, to the other instance.
    expect((await slackEvent(second, "EvTwice", mention("500.1"), 1)).status).toBe(200);
    // A barrier: B answers a later event, so it has dealt with the retry before.
    expect((await slackEvent(second, "EvLater", mention("500.2", "<@UBOT> 个体工商户歇业最长能保留多久？"))).status).toBe(200);
    await slackApi.waitFor("chat.postMessage", { where: inThread("500.2") });
    expect(slackApi.of("chat.postMessage", inThread("500.1"))).toHaveLength(1);
  });

  it("the Slack assistant, a process of its own, answers from a document published on an API instance", async () => {
    expect(slackB).toBeDefined();
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await makePdf(noticePages()))], "房租减免通知.pdf", { type: "application/pdf" }));
    const uploaded = await fetch(`${a.url}/api/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${STAFF_TOKEN}`, "x-requested-with": "test", "x-forwarded-for": "198.51.100.62" },
      body: form,
    });
    const id = ((await uploaded.json()) as { documents: Array<{ id: string }> }).documents[0].id;
    expect((await call(a, `/api/documents/${id}/publish`, { body: {}, staff: true, client: "198.51.100.62" })).status).toBe(200);
    let asked = 0;
    await waitFor(
      "the Slack assistant to cite the notice",
      async () => {
        const ts = `600.${++asked}`;
        await slackEvent(slackB!, `EvNotice${asked}`, {
          type: "app_mention",
          user: "U1",
          text: "<@UBOT> 哈密承租国企房产的个体户能免几个月房租？",
          ts,
          channel: "C2",
          event_ts: ts,
        });
        const [post] = await slackApi.waitFor("chat.postMessage", { where: (params) => params.channel === "C2" && params.thread_ts === ts });
        // A clause only the notice has.
        return String(post.params.text).includes("市属国有企业经营性房产");
      },
      15_000,
    );
  });
});
