import { FileBox } from "file-box";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WechatyBuilder } from "wechaty";
import type { WechatyInterface } from "wechaty/impls";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { fakeAnswer } from "../../../test/fake-answer.js";
import { seedAsk, seedKnowledgeBase } from "../../../test/helpers.js";
import type { Ask } from "../../core/ask.js";
import { helpText, NON_TEXT_HINT, RATE_LIMITED_TEXT, RESET_TEXT } from "../../core/messages.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { loadExampleQuestions } from "../examples.js";
import { renderMessages } from "./render.js";
import { attachWechatBot } from "./wechat-bot.js";

const HELP_TEXT = helpText(loadExampleQuestions());

const mocker = new mock.Mocker();
let bot: WechatyInterface;
let self: mock.ContactMock;
let room: mock.RoomMock;
const store = openSqliteStore(":memory:");
let contactCount = 0;
/** Every question the bot passed to `ask`, in order. */
const asked: string[] = [];
let seed: Ask;
let shortTitles: Map<string, string>;
/** Every turn the bot stored, in order. */
const recorded: Parameters<typeof store.recordTurn>[0][] = [];

/** Everything the bot sent, in order, to one conversation. */
function sentTo(target: mock.ContactMock | mock.RoomMock): string[] {
  const texts: string[] = [];
  // The mocks are typed event emitters whose typings do not surface `on`.
  (target as unknown as { on(event: "message", listener: (message: mock.MessageMock) => void): void }).on("message", (message: mock.MessageMock) => {
    if (message.talker().id === self.id) texts.push(message.payload.type === 7 ? String(message.payload.text ?? "") : "");
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

/** Logs the bot in and resolves when it has seen the login. */
async function logIn(target: WechatyInterface, mocker: mock.Mocker, name = "政策助手") {
  const loggedIn = new Promise((resolve) => target.once("login", resolve));
  const user = mocker.createContact({ name });
  mocker.login(user);
  await loggedIn;
  return user;
}

function newContact() {
  const contact = mocker.createContact({ name: `企业主${++contactCount}` });
  return { contact, replies: sentTo(contact) };
}

beforeAll(async () => {
  const puppet = new PuppetMock({ mocker });
  bot = WechatyBuilder.build({ puppet });
  seed = await seedAsk();
  const knowledgeBase = await seedKnowledgeBase();
  shortTitles = new Map(knowledgeBase.corpus.documents.map((d) => [d.id, d.shortTitle]));
  attachWechatBot({
    bot,
    ask: (question, history) => {
      asked.push(question);
      return seed(question, history);
    },
    store: {
      history: (conversationId) => store.history(conversationId),
      recordTurn: (turn) => {
        recorded.push(turn);
        return store.recordTurn(turn);
      },
    },
    shortTitles,
    trigger: "问：",
    maxMessageChars: 200,
    maxMessageParts: 50,
    sendIntervalMs: 5,
    perContactPerMinute: 5,
  });
  await bot.start();
  self = await logIn(bot, mocker);
});
afterAll(async () => {
  await bot.stop();
});

describe("WeChat bot on wechaty-puppet-mock", () => {
  it("answers a private question with a cited, plain-text answer", async () => {
    const { contact, replies } = newContact();
    contact.say("公司刻章备案要多长时间？").to(self);
    await until(() => replies.join("").includes("【依据】"));
    const text = replies.join("");
    expect(text).toContain("1个工作日");
    expect(text).toContain("《新疆维吾尔自治区政法机关优化法治化营商环境50条措施》");
    expect(text).not.toMatch(/\*\*|##/);
  });

  it("stays silent in a group without a mention, and replies with a mention when addressed", async () => {
    const { contact } = newContact();
    room = mocker.createRoom({ topic: "企业服务群", memberIdList: [self.id, contact.id] });
    const roomReplies = sentTo(room);
    contact.say("群里闲聊：公司刻章备案要多长时间？").to(room);
    contact.say("@政策助手 现在办居民身份证要多少个工作日？", [self]).to(room);
    // Handled in order: once the mention is answered, the unaddressed message was seen and left alone.
    await until(() => roomReplies.join("").includes("【依据】"));
    expect(asked).not.toContain("群里闲聊：公司刻章备案要多长时间？");
    expect(roomReplies[0]).toContain(`@${contact.payload.name}`);
    expect(roomReplies.join("")).toContain("15个工作日");
    roomReplies.length = 0;
    contact.say("问：公司刻章备案要多长时间？").to(room);
    await until(() => roomReplies.join("").includes("1个工作日"));
  });

  it("follows up within a conversation and forgets it on 重新开始", async () => {
    const { contact, replies } = newContact();
    contact.say("哈密市居民用非电网直供电，电价是多少？").to(self);
    await until(() => replies.join("").includes("【依据】"));
    replies.length = 0;
    contact.say("那农业用电呢？").to(self);
    await until(() => replies.join("").includes("【依据】"));
    expect(replies.join("")).toContain("0.312");
    replies.length = 0;
    contact.say("重新开始").to(self);
    await until(() => replies.includes(RESET_TEXT));
    replies.length = 0;
    contact.say("那农业用电呢？").to(self);
    await until(() => /【依据】\n1\. 《[^》]+》/.test(replies.join("")) || replies.join("").includes("12345"));
    // Without the earlier question the place is gone: the answer no longer leads with Hami's clause.
    const sources = replies.join("").split("【依据】")[1] ?? "";
    expect(sources.match(/1\. 《([^》]+)》/)?.[1]).not.toContain("哈密");
  });

  it("answers 帮助 with examples, and hints on an image", async () => {
    const { contact, replies } = newContact();
    contact.say("帮助").to(self);
    await until(() => replies.includes(HELP_TEXT));
    contact.say(FileBox.fromUrl("http://127.0.0.1:9/photo.png", { name: "photo.png" })).to(self);
    await until(() => replies.includes(NON_TEXT_HINT));
    // Each once, in order, and nothing else: no answer to 帮助 as a question, no second hint.
    expect(replies).toEqual([HELP_TEXT, NON_TEXT_HINT]);
  });

  it("splits a long answer into ordered parts under the limit, losing nothing", async () => {
    const { contact, replies } = newContact();
    contact.say("我的企业能减免多少检测费？").to(self);
    const expected = renderMessages(await seed("我的企业能减免多少检测费？"), shortTitles, { maxChars: 200, maxParts: 50 });
    await until(() => replies.length === expected.length);
    expect(replies).toEqual(expected);
    expect(replies.length).toBeGreaterThan(1);
    for (const part of replies) expect(part.length).toBeLessThanOrEqual(200);
    const whole = replies.join("");
    expect(whole.indexOf("30%-50%")).toBeLessThan(whole.indexOf("【依据】"));
    expect(whole).toMatch(/1\. 《自治区市场监督管理局/);
  });

  it("rate-limits a burst with one notice", async () => {
    const { contact, replies } = newContact();
    for (let i = 0; i < 9; i++) contact.say("帮助").to(self);
    // Another asker's 帮助 is queued behind every reply to the burst: once it arrives, the burst is done.
    const other = newContact();
    other.contact.say("帮助").to(self);
    await until(() => other.replies.includes(HELP_TEXT));
    expect(replies.filter((r) => r === RATE_LIMITED_TEXT)).toHaveLength(1);
    expect(replies).toHaveLength(6);
  });

  it("does not answer its own messages", async () => {
    const { contact, replies } = newContact();
    self.say("我自己发的问题：检测费？").to(contact);
    // Handled in order on the same path: once the contact's question is answered, the bot's own was seen first.
    contact.say("公司刻章备案要多长时间？").to(self);
    await until(() => replies.join("").includes("【依据】"));
    expect(asked).toContain("公司刻章备案要多长时间？");
    expect(asked).not.toContain("我自己发的问题：检测费？");
  });

  it("stores each question and answer with the wechaty channel, apart from the 公众号 and 企业微信", async () => {
    const { contact, replies } = newContact();
    contact.say("个体工商户歇业最长能保留多久？").to(self);
    await until(() => replies.join("").includes("【依据】"));
    const turn = recorded.find((t) => t.question === "个体工商户歇业最长能保留多久？");
    expect(turn?.channel).toBe("wechaty");
    expect((await store.history(turn!.conversationId!)).map((t) => t.question)).toEqual(["个体工商户歇业最长能保留多久？"]);
  });
});

/** An answer that echoes the question, so guards can be checked without the knowledge base. */
const echo: Ask = async (question) => fakeAnswer({ text: question, body: `收到：${question}`, resolvedQuestion: question });

describe("WeChat bot guards on wechaty-puppet-mock", () => {
  it("answers only in groups on the allow-list", async () => {
    const guardMocker = new mock.Mocker();
    const guarded = WechatyBuilder.build({ puppet: new PuppetMock({ mocker: guardMocker }) });
    const questions: string[] = [];
    attachWechatBot({
      bot: guarded,
      ask: (question, history) => {
        questions.push(question);
        return echo(question, history);
      },
      store: openSqliteStore(":memory:"),
      shortTitles: new Map(),
      rooms: ["企业服务群"],
      sendIntervalMs: 1,
    });
    await guarded.start();
    const bot = await logIn(guarded, guardMocker);
    const owner = guardMocker.createContact({ name: "企业主" });
    const other = guardMocker.createRoom({ topic: "闲聊群", memberIdList: [bot.id, owner.id] });
    const allowed = guardMocker.createRoom({ topic: "企业服务群", memberIdList: [bot.id, owner.id] });
    const allowedReplies: string[] = [];
    (allowed as unknown as { on(event: "message", listener: (message: mock.MessageMock) => void): void }).on("message", (message) => {
      if (message.talker().id === bot.id) allowedReplies.push(String(message.payload.text ?? ""));
    });
    owner.say("@政策助手 闲聊群里的问题", [bot]).to(other);
    owner.say("@政策助手 服务群里的问题", [bot]).to(allowed);
    await until(() => allowedReplies.some((r) => r.includes("服务群里的问题")));
    expect(questions).toEqual(["服务群里的问题"]);
    await guarded.stop();
  });

  it("starts a new conversation after 30 idle minutes, by the injected clock", async () => {
    const guardMocker = new mock.Mocker();
    const guarded = WechatyBuilder.build({ puppet: new PuppetMock({ mocker: guardMocker }) });
    let clock = Date.now();
    const conversations: (string | undefined)[] = [];
    attachWechatBot({
      bot: guarded,
      ask: echo,
      store: { history: async () => [], recordTurn: (turn) => conversations.push(turn.conversationId) as never },
      shortTitles: new Map(),
      sendIntervalMs: 1,
      now: () => clock,
      // The clock jumps ahead of the puppet's message times; age is not under test here.
      maxMessageAgeSeconds: 24 * 3600,
    });
    await guarded.start();
    const bot = await logIn(guarded, guardMocker);
    const owner = guardMocker.createContact({ name: "企业主" });
    const replies: string[] = [];
    (owner as unknown as { on(event: "message", listener: (message: mock.MessageMock) => void): void }).on("message", (message) => {
      if (message.talker().id === bot.id) replies.push(String(message.payload.text ?? ""));
    });
    const askAndWait = async (question: string) => {
      owner.say(question).to(bot);
      await until(() => replies.includes(`收到：${question}`));
    };
    await askAndWait("第一个问题");
    clock += 29 * 60_000;
    await askAndWait("二十九分钟后");
    clock += 31 * 60_000;
    await askAndWait("再过三十一分钟");
    expect(conversations[1]).toBe(conversations[0]);
    expect(conversations[2]).not.toBe(conversations[1]);
    await guarded.stop();
  });
});
