import { afterEach, describe, expect, it } from "vitest";
import { NON_TEXT_HINT } from "../../core/messages.js";
import type { Answer } from "../../types.js";
import { CREDENTIALS, EXAMPLES, type Harness, type HarnessOptions, startHarness, textMessage, WORK_TOKEN } from "./__fixtures__/harness.js";
import { deferred, fakeAnswer } from "./__fixtures__/platform.js";

const MESSAGE_SEND = "/cgi-bin/message/send";
let harness: Harness | undefined;

async function start(options: HarnessOptions = {}) {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** 企业微信 adds the application's AgentID to every callback. */
const workText = (user: string, content: string, msgId?: string) => ({ ...textMessage(user, content, msgId), AgentID: 1000002 });

describe("企业微信 URL verification", () => {
  it("decrypts echostr and returns its plain text", async () => {
    const { work } = await start();
    expect(await work.verify({ echostr: "1616140317555161061" })).toEqual({ status: 200, text: "1616140317555161061" });
  });

  it("refuses a forged msg_signature, an old timestamp, and an echostr encrypted for another CorpID, without logging the token", async () => {
    const { work, logs } = await start();
    expect((await work.verify({ token: "guessed" })).status).toBe(401);
    expect((await work.verify({ skewSeconds: -400 })).status).toBe(401);
    const other = await work.verify({ receiverId: "ww0000000000000000" });
    expect(other.status).toBe(401);
    expect(other.text).not.toContain("echo");
    expect(logs.text()).not.toContain(WORK_TOKEN);
  });
});

describe("企业微信 messages", () => {
  it("answers with an encrypted passive reply for the CorpID, and stores the turn", async () => {
    const { work, asked, recorded } = await start();
    // The platform helper decrypts with WeCom's own library and checks MsgSignature and the CorpID.
    const { reply } = await work.send(workText("zhangsan", "我的企业能减免多少检测费？"));
    expect(reply).toMatchObject({ ToUserName: "zhangsan", FromUserName: CREDENTIALS.corpId, MsgType: "text" });
    expect(reply?.Content).toContain("可以减免");
    expect(asked).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ channel: "wecom", result: { stored: true } });
  });

  it("answers a resent MsgId once, with an empty 200 to the repeats", async () => {
    const { work, asked } = await start();
    const message = workText("lisi", "公司刻章备案要多长时间？");
    expect((await work.send(message)).reply).toBeDefined();
    expect(await work.send(message)).toEqual({ status: 200, text: "" });
    expect(asked).toHaveLength(1);
  });

  it("refuses a forged msg_signature and a message for another CorpID", async () => {
    const { work, asked } = await start();
    expect((await work.send(workText("wangwu", "问题"), { msgSignature: "f".repeat(40) })).status).toBe(401);
    expect((await work.send(workText("wangwu", "问题"), { receiverId: "ww0000000000000000" })).status).toBe(400);
    expect((await work.send(workText("wangwu", "问题"), { skewSeconds: 3600 })).status).toBe(401);
    expect(asked).toHaveLength(0);
  });

  it("sends a slow answer through /cgi-bin/message/send with the agent's token, refreshing it when expired", async () => {
    const late = { next: deferred<Answer>() };
    const { work, api } = await start({ answer: () => late.next.promise, passiveReplyBudgetMs: 20 });
    for (const [count, expire] of [
      [1, false],
      [2, true],
    ] as const) {
      if (expire) api.expireTokens();
      late.next = deferred<Answer>();
      expect((await work.send(workText("zhaoliu", `慢问题${count}`))).text).toBe("");
      late.next.resolve(fakeAnswer({ body: `第${count}个回答。` }));
      await api.waitFor(() => api.delivered(MESSAGE_SEND).length === count, `delivery ${count}`);
    }
    expect(api.of("/cgi-bin/gettoken").map((call) => call.query)).toEqual([
      { corpid: CREDENTIALS.corpId, corpsecret: CREDENTIALS.corpSecret },
      { corpid: CREDENTIALS.corpId, corpsecret: CREDENTIALS.corpSecret },
    ]);
    const sends = api.of(MESSAGE_SEND).filter((call) => call.delivered);
    expect(sends.map((call) => call.body)).toEqual([
      { touser: "zhaoliu", msgtype: "text", agentid: 1000002, text: { content: "第1个回答。" } },
      { touser: "zhaoliu", msgtype: "text", agentid: 1000002, text: { content: "第2个回答。" } },
    ]);
    expect(api.of("/cgi-bin/message/custom/send")).toHaveLength(0);
  });

  it("logs a failed send and keeps the stored answer", async () => {
    const late = deferred<Answer>();
    const { work, api, logs, recorded } = await start({ answer: () => late.promise, passiveReplyBudgetMs: 20 });
    api.failNext(MESSAGE_SEND, { body: { errcode: 60020, errmsg: "not allow to access from your ip" } });
    await work.send(workText("sunqi", "慢问题"));
    late.resolve(fakeAnswer());
    await api.waitFor(() => logs.text().includes("60020"), "the failure logged");
    expect(recorded.map((r) => r.result.stored)).toEqual([true]);
    expect(logs.text()).not.toContain(CREDENTIALS.corpSecret);
  });

  it("handles menu clicks, the welcome and non-text messages as the 公众号 does", async () => {
    const { work, asked, clock } = await start();
    const click = await work.send({ FromUserName: "zhouba", MsgType: "event", Event: "click", EventKey: "EXAMPLE_1", AgentID: 1000002 });
    expect(click.reply?.Content).toContain(`关于“${EXAMPLES[0]}”`);
    clock.now += 1000;
    const welcome = await work.send({ FromUserName: "zhouba", MsgType: "event", Event: "subscribe", AgentID: 1000002 });
    expect(welcome.reply?.Content).toContain(EXAMPLES[2]);
    const image = await work.send({
      FromUserName: "zhouba",
      MsgType: "image",
      PicUrl: "http://example.invalid/a.png",
      MediaId: "m",
      MsgId: "9001",
      AgentID: 1000002,
    });
    expect(image.reply?.Content).toBe(NON_TEXT_HINT);
    expect(asked).toHaveLength(1);
  });
});
