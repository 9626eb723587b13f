import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WechatyBuilder } from "wechaty";
import type { WechatyInterface } from "wechaty/impls";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { seedKnowledgeBase, TODAY } from "../../../test/helpers.js";
import { createAsk } from "../../core/ask.js";
import { AnswerPages } from "../../handoff/answer-pages.js";
import { HandoffService } from "../../handoff/handoff-service.js";
import { QuestionLibrary } from "../../library/question-library.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { handoffIntercept, offeringHandoff } from "../handoff-intercept.js";
import { json, testApp } from "../http/__fixtures__/test-app.js";
import { wechatyDeliverer } from "./handoff-delivery.js";
import { attachWechatBot } from "./wechat-bot.js";

const MEASURE = "000_1a5470b786594f12-1-2";
const mocker = new mock.Mocker();
let bot: WechatyInterface;
let self: mock.ContactMock;
let app: ReturnType<typeof testApp>["app"];
const store = openSqliteStore(":memory:");

function sentTo(target: mock.ContactMock | mock.RoomMock): string[] {
  const texts: string[] = [];
  (target as unknown as { on(event: "message", listener: (message: mock.MessageMock) => void): void }).on("message", (message: mock.MessageMock) => {
    if (message.talker().id === self.id) texts.push(String(message.payload.text ?? ""));
  });
  return texts;
}
const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  await store.ready;
  const knowledgeBase = await seedKnowledgeBase();
  const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  const service = new HandoffService({ store, knowledgeBase: () => knowledgeBase, library, hours: "周一至周五 9:00-18:00" });
  bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
  service.registry.register("wechaty", wechatyDeliverer(bot));
  attachWechatBot({
    bot,
    ask: offeringHandoff(createAsk({ knowledgeBase: () => knowledgeBase, today: () => TODAY, library })),
    store,
    shortTitles: new Map(knowledgeBase.corpus.documents.map((d) => [d.id, d.shortTitle])),
    sendIntervalMs: 5,
    intercepts: [handoffIntercept(service)],
  });
  ({ app } = testApp({ store, handoffs: { service, pages: new AnswerPages(service.store.db) } }));
  await bot.start();
  const loggedIn = new Promise((resolve) => bot.once("login", resolve));
  self = mocker.createContact({ name: "政策助手" });
  mocker.login(self);
  await loggedIn;
});
afterAll(async () => {
  await bot.stop();
});

const LOCAL = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };

describe("转人工 on the wechaty bot (puppet-mock)", () => {
  it("a refusal offers a person; 转人工 queues a hand-off; the staff answer is said to the contact; taught, the next paraphrase is answered from it", async () => {
    const asker = mocker.createContact({ name: "企业主甲" });
    const replies = sentTo(asker);
    asker.say("上海市对餐饮企业有没有房租减免？").to(self);
    await until(() => replies.join("").includes("转人工"));
    expect(replies.join("")).toContain("回复「转人工」由工作人员处理");
    asker.say("转人工：我们店歇业备案以后，多久之内还能恢复营业？").to(self);
    await until(() => replies.join("").includes("周一至周五 9:00-18:00"));

    const { handoffs } = await (await app.request("/api/handoffs?status=open", {}, LOCAL)).json();
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ channel: "wechaty", question: "我们店歇业备案以后，多久之内还能恢复营业？" });
    expect(handoffs[0].transcript[0].question).toBe("上海市对餐饮企业有没有房租减免？");

    replies.length = 0;
    const replied = await app.request(`/api/handoffs/${handoffs[0].id}/reply`, json({ text: "歇业备案后3年之内可以随时恢复经营。" }), LOCAL);
    expect((await replied.json()).delivery).toBe("delivered");
    await until(() => replies.length > 0);
    expect(replies).toEqual(["【人工回复】歇业备案后3年之内可以随时恢复经营。"]);

    expect((await app.request(`/api/handoffs/${handoffs[0].id}/teach`, json({ measureId: MEASURE }), LOCAL)).status).toBe(201);
    const next = mocker.createContact({ name: "企业主乙" });
    const nextReplies = sentTo(next);
    next.say("请问我们店歇业备案以后多久之内还能恢复营业呢").to(self);
    await until(() => nextReplies.join("").includes("3年之内可以随时恢复经营"));
  });

  it("in a group, the staff answer is said in the group with an @mention of the asker", async () => {
    const asker = mocker.createContact({ name: "企业主丙" });
    const room = mocker.createRoom({ topic: "企业服务群", memberIdList: [self.id, asker.id] });
    const roomReplies = sentTo(room);
    asker.say("@政策助手 转人工", [self]).to(room);
    await until(() => roomReplies.join("").includes("人工服务"));
    const { handoffs } = await (await app.request("/api/handoffs?status=open", {}, LOCAL)).json();
    const handoff = handoffs.find((h: { transcript: unknown[]; channel: string }) => h.channel === "wechaty" && h.transcript.length === 0);
    roomReplies.length = 0;
    await app.request(`/api/handoffs/${handoff.id}/reply`, json({ text: "请带营业执照到政务服务中心办理。" }), LOCAL);
    await until(() => roomReplies.join("").includes("【人工回复】请带营业执照到政务服务中心办理。"));
    expect(roomReplies[0]).toContain(`@${asker.payload.name}`);
  });
});
