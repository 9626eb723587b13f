import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { AnswerPages } from "../../../handoff/answer-pages.js";
import { DeliveryRegistry } from "../../../handoff/delivery.js";
import { HandoffService } from "../../../handoff/handoff-service.js";
import { createWebhook } from "../../../handoff/webhook.js";
import { auditTrail } from "../../../store/audit.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { fakeAnswer, fakeKnowledgeBase, from, json, testApp } from "../__fixtures__/test-app.js";

const LOCAL = from("127.0.0.1");
const STAFF = { authorization: "Bearer zhang-token" };

async function handoffApp(options: { webhookUrl?: string } = {}) {
  const store = openSqliteStore(":memory:");
  await store.ready;
  let clock = Date.parse("2026-11-27T02:00:00Z");
  const now = () => clock;
  const registry = new DeliveryRegistry();
  const sent: string[] = [];
  registry.register("wechaty", async (_, text) => {
    sent.push(text);
    return { ok: true };
  });
  const webhook = options.webhookUrl ? createWebhook({ url: options.webhookUrl, secret: "s", attempts: 2, sleep: async () => undefined }) : undefined;
  const service = new HandoffService({ store, knowledgeBase: () => fakeKnowledgeBase, registry, webhook, now });
  const pages = new AnswerPages(service.store.db, now);
  const { app } = testApp({ store, adminToken: "zhang:zhang-token,li:li-token", handoffs: { service, pages } });
  return { app, store, service, pages, sent, webhook, advance: (ms: number) => (clock += ms) };
}

describe("转人工 staff API", () => {
  it("is for staff only", async () => {
    const { app } = await handoffApp();
    expect((await app.request("/api/handoffs", {}, from("203.0.113.9"))).status).toBe(401);
    expect((await app.request("/api/handoffs", { headers: STAFF }, from("203.0.113.9"))).status).toBe(200);
  });

  it("lists, shows, claims once, replies (delivered, marked 人工回复), closes; each action audited under the staff name", async () => {
    const { app, service, store, sent } = await handoffApp();
    const { handoff } = await service.create({
      channel: "wechaty",
      conversationId: "conv-1",
      replyAddress: { userId: "wxid_1", address: "wxid_1" },
      history: [{ question: "我的电话13912345678，歇业能保留多久", answer: "抱歉，没有找到。" }],
    });
    const list = await (await app.request("/api/handoffs?status=open", { headers: STAFF }, LOCAL)).json();
    expect(list.handoffs.map((h: { id: string }) => h.id)).toEqual([handoff.id]);
    expect(list.handoffs[0].replyAddress).toBeUndefined();
    expect(list.handoffs[0].question).toBe("我的电话[手机号]，歇业能保留多久");
    expect((await (await app.request("/api/handoffs?status=closed", { headers: STAFF }, LOCAL)).json()).handoffs).toEqual([]);

    expect((await app.request(`/api/handoffs/${handoff.id}/claim`, json({}, STAFF), LOCAL)).status).toBe(200);
    const second = await app.request(`/api/handoffs/${handoff.id}/claim`, json({}, { authorization: "Bearer li-token" }), LOCAL);
    expect(second.status).toBe(409);
    expect((await second.json()).error).toContain("zhang");

    expect((await app.request(`/api/handoffs/${handoff.id}/reply`, json({ text: " " }, STAFF), LOCAL)).status).toBe(400);
    const replied = await app.request(`/api/handoffs/${handoff.id}/reply`, json({ text: "歇业备案后3年之内可以随时恢复经营。" }, STAFF), LOCAL);
    expect(replied.status).toBe(200);
    expect(await replied.json()).toMatchObject({ delivery: "delivered", handoff: { status: "answered" }, message: { author: "staff", actor: "zhang" } });
    expect(sent).toEqual(["【人工回复】歇业备案后3年之内可以随时恢复经营。"]);

    const shown = await (await app.request(`/api/handoffs/${handoff.id}`, { headers: STAFF }, LOCAL)).json();
    expect(shown).toMatchObject({ status: "answered", claimedBy: "zhang", messages: [{ text: "歇业备案后3年之内可以随时恢复经营。", delivery: "delivered" }] });
    expect((await app.request(`/api/handoffs/${handoff.id}/close`, json({}, STAFF), LOCAL)).status).toBe(200);
    expect((await app.request(`/api/handoffs/${handoff.id}/close`, json({}, STAFF), LOCAL)).status).toBe(404);
    expect((await app.request(`/api/handoffs/${handoff.id}/reply`, json({ text: "再补充" }, STAFF), LOCAL)).status).toBe(409);
    expect((await app.request("/api/handoffs/nope", { headers: STAFF }, LOCAL)).status).toBe(404);
    const trail = (await auditTrail(store.db as never, handoff.id)).map((row) => `${row.action}:${row.actor}`);
    expect(trail.sort()).toEqual(["handoff.claim:zhang", "handoff.close:zhang", "handoff.create:user:wechaty", "handoff.reply:zhang"]);
    // Teaching needs a question library; without one the server says so.
    expect((await app.request(`/api/handoffs/${handoff.id}/teach`, json({ measureId: "m-1" }, STAFF), LOCAL)).status).toBe(503);
  });

  it("the web console reads what staff wrote into its conversation, without a staff token", async () => {
    const { app, service } = await handoffApp();
    const { handoff } = await service.create({ channel: "web", conversationId: "web:conv-web", replyAddress: {}, question: "问题", history: [] });
    await service.reply(handoff.id, "人工答复", "zhang");
    const read = await app.request("/api/conversation-messages/conv-web", {}, from("203.0.113.9"));
    expect(read.status).toBe(200);
    const { messages, waiting } = await read.json();
    expect(messages).toEqual([{ id: expect.any(String), text: "人工答复", createdAt: expect.any(String) }]);
    expect(waiting).toBe(true);
    const after = await (await app.request(`/api/conversation-messages/conv-web?after=${encodeURIComponent(messages[0].createdAt)}`, {}, LOCAL)).json();
    expect(after.messages).toEqual([]);
    expect(await (await app.request("/api/conversation-messages/other", {}, LOCAL)).json()).toEqual({ messages: [], waiting: false });
  });

  it("/readyz says degraded while the webhook is failing", async () => {
    const receiver = createServer((_, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const { app, service, webhook } = await handoffApp({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
      expect((await (await app.request("/readyz", {}, LOCAL)).json()).status).toBe("ready");
      await service.create({ channel: "web", conversationId: "c", replyAddress: {}, question: "问题", history: [] });
      await webhook!.settle();
      const ready = await (await app.request("/readyz", {}, LOCAL)).json();
      expect(ready.status).toBe("degraded");
      expect(ready.checks.handoffWebhook).toMatchObject({ ok: false, failed: 1, lastError: "HTTP 500" });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("the staff page is served with its nonce", async () => {
    const { app } = await handoffApp();
    const page = await app.request("/staff/handoffs", {}, LOCAL);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("转人工");
    expect(html).not.toContain("{{NONCE}}");
  });
});

describe("full answer pages /a/:id", () => {
  it("show the answer with its clauses to anyone with the link, until they expire", async () => {
    const { app, pages, advance } = await handoffApp();
    const answer = fakeAnswer({
      body: "刻章备案的办理时限压缩至1个工作日[1]。<script>",
      citations: [{ marker: 1, document: "营商环境措施", docNumber: "新政办发〔2023〕5号", text: "刻章备案的办理时限压缩至1个工作日。" } as never],
    });
    const id = await pages.create("刻章备案要多久", answer);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const page = await app.request(`/a/${id}`, {}, from("203.0.113.9"));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("新政办发〔2023〕5号");
    expect(html).toContain("刻章备案的办理时限压缩至1个工作日");
    expect(html).not.toContain("<script>");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect((await app.request("/a/AAAAAAAAAAAAAAAAAAAAAA", {}, LOCAL)).status).toBe(404);
    advance(8 * 86_400_000);
    expect((await app.request(`/a/${id}`, {}, LOCAL)).status).toBe(404);
    expect(await pages.sweep()).toBe(1);
    expect(await pages.sweep()).toBe(0);
  });
});
