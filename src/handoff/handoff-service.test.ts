import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { seedKnowledgeBase, TODAY } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { QuestionLibrary } from "../library/question-library.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { auditTrail } from "../store/audit.js";
import { openSqliteStore, type Store } from "../store/sqlite-store.js";
import { DeliveryRegistry } from "./delivery.js";
import type { Handoff } from "./handoff.js";
import { HandoffService } from "./handoff-service.js";
import { createHandoffIntake } from "./intake.js";

const MEASURE = "000_1a5470b786594f12-1-2";
let knowledgeBase: KnowledgeBase;
const stores: Store[] = [];

beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function open(options: { registry?: DeliveryRegistry; library?: boolean; store?: Store } = {}) {
  const store = options.store ?? openSqliteStore(":memory:");
  if (!options.store) stores.push(store);
  await store.ready;
  const library = options.library ? await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite }) : undefined;
  let clock = Date.parse("2026-11-27T02:00:00Z");
  const service = new HandoffService({
    store,
    knowledgeBase: () => knowledgeBase,
    library,
    hours: "周一至周五 9:00-18:00",
    registry: options.registry,
    now: () => clock,
  });
  return { store, library, service, advance: (ms: number) => (clock += ms) };
}

const history = [
  { question: "我是张三，电话13912345678，想问歇业的事", answer: "歇业备案后3年之内可以随时恢复经营[1]。" },
  { question: "那我身份证号650102199001011234要带吗", answer: "抱歉，没有找到相关规定，请拨打12345。" },
];

describe("hand-offs", () => {
  it("转人工 creates one hand-off with the conversation masked, a category, and the queue notice with hours and 12345", async () => {
    const { service, store } = await open();
    const { conversationId } = await store.recordTurn({ channel: "wechat-mp", question: history[0].question, answer: fakeAnswer({ text: history[0].answer }) });
    await store.recordTurn({
      conversationId,
      channel: "wechat-mp",
      question: history[1].question,
      answer: fakeAnswer({ text: history[1].answer, refused: true }),
    });
    const intake = createHandoffIntake(service);
    expect(await intake("检测费怎么减免", { channel: "web", conversationId, replyAddress: {} })).toBeUndefined();
    const result = await intake("转人工", { channel: "wechat-mp", conversationId, replyAddress: { address: "openid-1" } });
    expect(result?.text).toContain("周一至周五 9:00-18:00");
    expect(result?.text).toContain("12345");
    const found = await service.get(result!.handoffId);
    const handoff = found!.handoff;
    expect(handoff).toMatchObject({ status: "open", channel: "wechat-mp", conversationId, replyAddress: { address: "openid-1" } });
    expect(handoff.question).toBe("那我身份证号[身份证号]要带吗");
    expect(JSON.stringify(handoff.transcript)).not.toMatch(/13912345678|650102199001011234/);
    expect(handoff.transcript[0].question).toContain("[手机号]");
    expect(handoff.lastAnswer).toContain("12345");
    expect(handoff.category).toBeTruthy();
    // Asking again while it waits: the same hand-off, said to be queued.
    const again = await intake("人工客服", { channel: "wechat-mp", conversationId, replyAddress: { address: "openid-1" } });
    expect(again?.handoffId).toBe(handoff.id);
    expect(again?.text).toContain("排队");
    expect(await service.list("open")).toHaveLength(1);
    expect((await auditTrail(store.db as never, handoff.id)).map((row) => row.action)).toEqual(["handoff.create"]);
  });

  it("looks up no hand-off to touch for a conversation this very message began; a continuing one is touched", async () => {
    const { service } = await open();
    const touched: string[] = [];
    const touch = service.touch.bind(service);
    service.touch = async (conversationId) => {
      touched.push(conversationId);
      await touch(conversationId);
    };
    const intake = createHandoffIntake(service);
    await intake("检测费怎么减免", { channel: "web", conversationId: "minted", replyAddress: {}, newConversation: true });
    await intake("检测费怎么减免", { channel: "web", conversationId: "going-on", replyAddress: {} });
    expect(touched).toEqual(["going-on"]);
  });

  it("the question written with the request is the hand-off's question", async () => {
    const { service } = await open();
    const result = await createHandoffIntake(service)("转人工：歇业以后多久能恢复经营？", { channel: "web", conversationId: "c2", replyAddress: {} });
    expect((await service.get(result!.handoffId))?.handoff.question).toBe("歇业以后多久能恢复经营？");
  });

  it("one claim wins; a reply is delivered on the user's channel marked 人工回复; close; each action audited", async () => {
    const sent: Array<{ handoff: Handoff; text: string }> = [];
    const registry = new DeliveryRegistry();
    registry.register("wechaty", async (handoff, text) => {
      sent.push({ handoff, text });
      return { ok: true };
    });
    const { service, store } = await open({ registry });
    const { handoff } = await service.create({
      channel: "wechaty",
      conversationId: "c3",
      replyAddress: { userId: "wxid_1", address: "wxid_1" },
      question: "歇业能保留多久",
      history: [],
    });
    const [first, second] = await Promise.all([service.claim(handoff.id, "zhang"), service.claim(handoff.id, "li")]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const loser = first.ok ? second : first;
    expect(loser).toMatchObject({ ok: false, reason: "taken" });
    const reply = await service.reply(handoff.id, "歇业备案后3年之内可以随时恢复经营。", "zhang");
    expect(reply).toMatchObject({ ok: true, outcome: { delivery: "delivered" }, handoff: { status: "answered" } });
    expect(sent).toEqual([{ handoff: expect.objectContaining({ id: handoff.id }), text: "【人工回复】歇业备案后3年之内可以随时恢复经营。" }]);
    expect((await service.close(handoff.id, "zhang"))?.status).toBe("closed");
    expect(await service.close(handoff.id, "zhang")).toBeUndefined();
    expect(await service.reply(handoff.id, "再补充一句", "zhang")).toMatchObject({ ok: false, reason: "closed" });
    const actions = (await auditTrail(store.db as never, handoff.id)).map((row) => `${row.action}:${row.actor}`).sort();
    expect(actions).toEqual([`handoff.claim:${first.ok ? "zhang" : "li"}`, "handoff.close:zhang", "handoff.create:user:wechaty", "handoff.reply:zhang"].sort());
    // A person's answer is never a bot answer: no turn was stored.
    expect(await store.unanswered()).toEqual([]);
  });

  it("a reply for a channel this process cannot reach waits, and the instance that can sends it", async () => {
    const here = await open();
    const { handoff } = await here.service.create({
      channel: "wechaty",
      conversationId: "c4",
      replyAddress: { userId: "wxid_2", address: "wxid_2" },
      question: "问题",
      history: [],
    });
    const reply = await here.service.reply(handoff.id, "答复", "zhang");
    expect(reply).toMatchObject({ ok: true, outcome: { delivery: "pending" } });
    const sent: string[] = [];
    const registry = new DeliveryRegistry();
    registry.register("wechaty", async (_, text) => {
      sent.push(text);
      return { ok: true };
    });
    const there = await open({ registry, store: here.store });
    expect(await there.service.deliverPending()).toBe(1);
    expect(await there.service.deliverPending()).toBe(0);
    expect(sent).toEqual(["【人工回复】答复"]);
    expect((await here.service.get(handoff.id))?.messages[0].delivery).toBe("delivered");
  });

  it("a delivery refused for good is marked undeliverable with the reason staff see", async () => {
    const registry = new DeliveryRegistry();
    registry.register("wechat-mp", async () => ({ ok: false, reason: "超过48小时", permanent: true }));
    const { service } = await open({ registry });
    const { handoff } = await service.create({ channel: "wechat-mp", conversationId: "c5", replyAddress: { address: "o1" }, question: "问题", history: [] });
    expect(await service.reply(handoff.id, "答复", "zhang")).toMatchObject({ outcome: { delivery: "undeliverable", reason: "超过48小时" } });
    expect((await service.get(handoff.id))?.messages[0]).toMatchObject({ delivery: "undeliverable", deliveryError: "超过48小时" });
  });

  it("teach: the question and the staff answer become a verified library entry, and the next paraphrase is answered from it", async () => {
    const { service, library, store } = await open({ library: true });
    const { handoff } = await service.create({
      channel: "web",
      conversationId: "c6",
      replyAddress: {},
      question: "我们店歇业备案以后，多久之内还能恢复营业？",
      history: [],
    });
    expect(await service.teach(handoff.id, MEASURE, "zhang")).toEqual({ ok: false, reason: "no-reply" });
    await service.reply(handoff.id, "歇业备案后5年之内可以恢复经营。", "zhang");
    // A figure the clause does not state fails verification, as a library answer does.
    const wrong = await service.teach(handoff.id, MEASURE, "zhang");
    expect(wrong).toMatchObject({ ok: false, reason: "invalid", field: "answer" });
    await service.reply(handoff.id, "歇业备案后3年之内可以随时恢复经营。", "zhang");
    expect(await service.teach(handoff.id, "no-such-measure", "zhang")).toMatchObject({ ok: false, reason: "invalid", field: "measureIds.0" });
    const taught = await service.teach(handoff.id, MEASURE, "zhang");
    expect(taught.ok).toBe(true);
    const entryId = (taught as { entryId: string }).entryId;
    expect(library!.get(entryId)).toMatchObject({ measureIds: [MEASURE], answer: "歇业备案后3年之内可以随时恢复经营。[1]" });
    expect((await service.get(handoff.id))?.handoff.taughtEntryId).toBe(entryId);
    expect((await auditTrail(store.db as never, handoff.id)).map((row) => row.action)).toContain("handoff.teach");
    const ask = createAsk({ knowledgeBase: () => knowledgeBase, today: () => TODAY, library });
    const next = await ask("请问我们店歇业备案以后多久之内还能恢复营业呢");
    expect(next.libraryEntryId).toBe(entryId);
    expect(next.body).toContain("3年之内可以随时恢复经营");
  });
});
