import { afterEach, describe, expect, it, vi } from "vitest";
import { NON_TEXT_HINT, RATE_LIMITED_TEXT, RESET_TEXT } from "../../core/messages.js";
import type { Answer } from "../../types.js";
import { AES_KEY, CREDENTIALS, EXAMPLES, type Harness, type HarnessOptions, MP_ACCOUNT, MP_TOKEN, startHarness, textMessage } from "./__fixtures__/harness.js";
import { deferred, fakeAnswer } from "./__fixtures__/platform.js";

const CUSTOM_SEND = "/cgi-bin/message/custom/send";
let harness: Harness | undefined;

async function start(options: HarnessOptions = {}) {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
  harness = undefined;
});

describe("公众号 URL verification", () => {
  it("echoes echostr for a request signed with the token", async () => {
    const { mp } = await start();
    expect(await mp.verify({ echostr: "8312398123" })).toEqual({ status: 200, text: "8312398123" });
  });

  it("refuses a forged signature, and logs why without the token", async () => {
    const { mp, logs } = await start();
    const forged = await mp.verify({ token: "guessed-token" });
    expect(forged.status).toBe(401);
    expect(forged.text).not.toContain("echo");
    expect(logs.text()).toContain("signature mismatch");
    expect(logs.text()).not.toContain(MP_TOKEN);
  });

  it("refuses a timestamp more than 5 minutes off, either way, even when correctly signed", async () => {
    const { mp } = await start();
    expect((await mp.verify({ skewSeconds: -301 })).status).toBe(401);
    expect((await mp.verify({ skewSeconds: 301 })).status).toBe(401);
    expect((await mp.verify({ skewSeconds: -290 })).status).toBe(200);
  });
});

describe("公众号 messages in plain mode", () => {
  it("answers a question with a passive text reply, addressed back to the sender, and stores the turn", async () => {
    const { mp, asked, recorded, clock } = await start();
    const response = await mp.send(textMessage("oUser-passive", "我的企业能减免多少检测费？"));
    expect(response.status).toBe(200);
    expect(response.reply).toMatchObject({ ToUserName: "oUser-passive", FromUserName: MP_ACCOUNT, MsgType: "text", CreateTime: String(clock.now / 1000) });
    expect(response.reply?.Content).toContain("关于“我的企业能减免多少检测费？”：可以减免[1]。");
    expect(asked.map((a) => a.question)).toEqual(["我的企业能减免多少检测费？"]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ question: "我的企业能减免多少检测费？", channel: "wechat-mp", result: { stored: true } });
  });

  it("renders the WeChat plain text: the answer, then 【依据】", async () => {
    const citation = {
      marker: 1,
      kind: "measure",
      documentId: "doc-1",
      text: "条款",
      document: "全称",
      docNumber: "新政发〔2023〕1号",
      issuer: "自治区人民政府",
    };
    const answer = fakeAnswer({
      body: "检验检测费用减免30%-50%[1]。",
      citations: [{ ...citation, region: "新疆", path: "二、（五）", pages: [3], score: 1, status: "ended" } as Answer["citations"][number]],
    });
    const { mp } = await start({ answer: () => answer });
    const { reply } = await mp.send(textMessage("oUser-render", "检测费"));
    expect(reply?.Content).toBe("检验检测费用减免30%-50%[1]。\n\n【依据】\n1. 《短标题》（新政发〔2023〕1号） 二、（五） 已到期");
  });

  it("answers a MsgId the platform resends once: one ask, one stored turn, 'success' to the repeat", async () => {
    const { mp, asked, recorded } = await start();
    const message = textMessage("oUser-replay", "公司刻章备案要多长时间？");
    const first = await mp.send(message);
    const again = await mp.send(message);
    const third = await mp.send(message);
    expect(first.reply?.Content).toContain("可以减免");
    expect([again.text, third.text]).toEqual(["success", "success"]);
    expect(asked).toHaveLength(1);
    expect(recorded).toHaveLength(1);
    // A different MsgId with the same text is a new question.
    await mp.send(textMessage("oUser-replay", "公司刻章备案要多长时间？"));
    expect(asked).toHaveLength(2);
  });

  it("keeps a MsgId beyond the precision of a JavaScript number apart from its neighbour", async () => {
    const { mp, asked } = await start();
    await mp.send(textMessage("oUser-bigid", "问一", "24123456789012345678"));
    await mp.send(textMessage("oUser-bigid", "问二", "24123456789012345679"));
    expect(asked.map((a) => a.question)).toEqual(["问一", "问二"]);
  });

  it("replies 'success' at once to a slow answer and delivers it through the customer-service API", async () => {
    const late = deferred<Answer>();
    const { mp, api, recorded } = await start({ answer: () => late.promise, passiveReplyBudgetMs: 30 });
    const response = await mp.send(textMessage("oUser-slow", "个体工商户歇业最长能保留多久？"));
    expect(response).toEqual({ status: 200, text: "success" });
    expect(api.of(CUSTOM_SEND)).toHaveLength(0);

    late.resolve(fakeAnswer({ body: "歇业期限最长不得超过3年[1]。" }));
    await api.waitFor(() => api.delivered(CUSTOM_SEND).length === 1, "the customer-service message");
    expect(api.delivered(CUSTOM_SEND)).toEqual([{ user: "oUser-slow", text: "歇业期限最长不得超过3年[1]。" }]);
    expect(api.of("/cgi-bin/token")[0].query).toMatchObject({ grant_type: "client_credential", appid: CREDENTIALS.appId, secret: CREDENTIALS.appSecret });
    expect(recorded).toHaveLength(1);
  });

  it("caches the access token, and fetches a new one when the API says it expired (42001) or is invalid (40001)", async () => {
    const late = { next: deferred<Answer>() };
    const { mp, api } = await start({ answer: () => late.next.promise, passiveReplyBudgetMs: 20 });
    const slowAnswer = async (user: string, count: number) => {
      late.next = deferred<Answer>();
      await mp.send(textMessage(user, "慢问题"));
      late.next.resolve(fakeAnswer({ body: `第${count}个回答。` }));
      await api.waitFor(() => api.delivered(CUSTOM_SEND).length === count, `delivery ${count}`);
    };
    await slowAnswer("oUser-token", 1);
    await slowAnswer("oUser-token", 2);
    expect(api.of("/cgi-bin/token")).toHaveLength(1);

    api.expireTokens();
    await slowAnswer("oUser-token", 3);
    expect(api.of("/cgi-bin/token")).toHaveLength(2);
    expect(api.of(CUSTOM_SEND).map((call) => call.query.access_token)).toEqual(["token-1", "token-1", "token-1", "token-2"]);

    api.failNext(CUSTOM_SEND, { body: { errcode: 40001, errmsg: "invalid credential" } });
    await slowAnswer("oUser-token", 4);
    expect(api.of("/cgi-bin/token")).toHaveLength(3);
    expect(api.delivered(CUSTOM_SEND).map((d) => d.text)).toEqual(["第1个回答。", "第2个回答。", "第3个回答。", "第4个回答。"]);
  });

  it("refreshes an access token before it runs out, by the clock", async () => {
    const late = { next: deferred<Answer>() };
    const { mp, api, clock } = await start({ answer: () => late.next.promise, passiveReplyBudgetMs: 20 });
    for (const [count, advanceMs] of [
      [1, 0],
      [2, 60 * 60_000],
      [3, 60 * 60_000],
    ]) {
      clock.now += advanceMs;
      late.next = deferred<Answer>();
      await mp.send(textMessage("oUser-clock", "慢问题"));
      late.next.resolve(fakeAnswer());
      await api.waitFor(() => api.delivered(CUSTOM_SEND).length === count, `delivery ${count}`);
    }
    // 7,200 s tokens renewed 5 minutes early: the one from 0 h is still good at 1 h, not at 2 h.
    expect(api.of("/cgi-bin/token")).toHaveLength(2);
  });

  it("splits a long answer at sentence boundaries under 2,048 bytes and sends the parts in order", async () => {
    const sentence = (n: number) => `第${n}条：对符合条件的小微企业减免检验检测费用百分之三十，具体以当地市场监管部门公布的目录为准[1]。`;
    const body = Array.from({ length: 40 }, (_, i) => sentence(i + 1)).join("");
    const { mp, api } = await start({ answer: () => fakeAnswer({ body }) });
    const response = await mp.send(textMessage("oUser-long", "长问题"));
    // Only one passive reply is allowed, so a reply in parts goes through the API, every part.
    expect(response.text).toBe("success");
    await api.waitFor(
      () =>
        api
          .delivered(CUSTOM_SEND)
          .map((d) => d.text)
          .join("").length >= body.length,
      "every part",
    );
    const parts = api.delivered(CUSTOM_SEND).map((d) => d.text);
    for (const part of parts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
      expect(part).toMatch(/。$/);
    }
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.join("")).toBe(body);
    expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 2048);
  });

  it("welcomes a new follower with three example questions", async () => {
    const { mp, asked } = await start();
    const { reply } = await mp.send({ FromUserName: "oUser-new", MsgType: "event", Event: "subscribe", EventKey: "" });
    const examples = EXAMPLES.slice(0, 3);
    for (const example of examples) expect(reply?.Content).toContain(example);
    expect(reply?.Content).not.toContain(EXAMPLES[3]);
    expect(asked).toHaveLength(0);
    const unfollow = await mp.send({ FromUserName: "oUser-new", MsgType: "event", Event: "unsubscribe", EventKey: "" }, { skewSeconds: 0 });
    expect(unfollow.text).toBe("success");
  });

  it("answers a menu click with its example question, and the RESTART and HELP keys with their commands", async () => {
    const { mp, asked, clock } = await start();
    const click = (key: string) => {
      clock.now += 1000; // events are told apart by sender and CreateTime
      return mp.send({ FromUserName: "oUser-menu", MsgType: "event", Event: "CLICK", EventKey: key });
    };
    expect((await click("EXAMPLE_2")).reply?.Content).toContain(`关于“${EXAMPLES[1]}”`);
    expect(asked.map((a) => a.question)).toEqual([EXAMPLES[1]]);
    expect((await click("RESTART")).reply?.Content).toBe(RESET_TEXT);
    expect((await click("HELP")).reply?.Content).toContain(EXAMPLES[0]);
    expect((await click("EXAMPLE_99")).reply?.Content).toContain(EXAMPLES[0]);
    expect(asked).toHaveLength(1);
  });

  it("answers an event resent with the same sender and CreateTime once", async () => {
    const { mp } = await start();
    const event = { FromUserName: "oUser-event", MsgType: "event", Event: "subscribe", EventKey: "" };
    expect((await mp.send(event)).reply?.Content).toContain("欢迎");
    expect((await mp.send(event)).text).toBe("success");
  });

  it("asks for typed text when sent an image, a voice message or a location", async () => {
    const { mp, asked } = await start();
    const sent: Array<Record<string, string>> = [
      { FromUserName: "oUser-media", MsgType: "image", PicUrl: "http://example.invalid/p.jpg", MediaId: "m1", MsgId: "1001" },
      { FromUserName: "oUser-media", MsgType: "voice", MediaId: "m2", Format: "amr", MsgId: "1002" },
      { FromUserName: "oUser-media", MsgType: "location", Location_X: "43.8", Location_Y: "87.6", Scale: "15", Label: "乌鲁木齐", MsgId: "1003" },
    ];
    for (const message of sent) expect((await mp.send(message)).reply?.Content).toBe(NON_TEXT_HINT);
    expect(asked).toHaveLength(0);
  });

  it("keeps one conversation per OpenID for 30 minutes; 重新开始 forgets it", async () => {
    const { mp, asked, clock } = await start();
    await mp.send(textMessage("oUser-chat", "检测费能减免吗？"));
    await mp.send(textMessage("oUser-chat", "那刻章呢？"));
    await mp.send(textMessage("oUser-other", "别人的问题"));
    expect(asked[1].history.map((t) => t.question)).toEqual(["检测费能减免吗？"]);
    expect(asked[2].history).toEqual([]);

    expect((await mp.send(textMessage("oUser-chat", "重新开始"))).reply?.Content).toBe(RESET_TEXT);
    await mp.send(textMessage("oUser-chat", "新的问题"));
    expect(asked[3].history).toEqual([]);

    clock.now += 31 * 60_000;
    await mp.send(textMessage("oUser-chat", "半小时后"));
    expect(asked[4].history).toEqual([]);
  });

  it("rate-limits each OpenID with one polite notice a minute, then silence", async () => {
    // The per-user count runs on the system clock: only Date is faked, so the callbacks still run on real timers.
    vi.useFakeTimers({ toFake: ["Date"] });
    const { mp, asked, clock } = await start({ perUserPerMinute: 2 });
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await mp.send(textMessage("oUser-busy", `问题${i}`)));
    expect(asked).toHaveLength(2);
    expect(replies[2].reply?.Content).toBe(RATE_LIMITED_TEXT);
    expect(replies[3].text).toBe("success");
    expect((await mp.send(textMessage("oUser-calm", "别人"))).reply?.Content).toContain("可以减免");
    clock.now += 61_000;
    vi.setSystemTime(Date.now() + 61_000);
    expect((await mp.send(textMessage("oUser-busy", "一分钟后"))).reply?.Content).toContain("可以减免");
  });

  it("survives the API failing: logged, nothing crashes, the answer is stored, the next message is answered", async () => {
    const late = { next: deferred<Answer>() };
    const { mp, api, recorded, logs } = await start({ answer: () => late.next.promise, passiveReplyBudgetMs: 20 });
    const failures = [
      { status: 500, body: "internal error" },
      { body: { errcode: 45015, errmsg: "response out of time limit or subscription is canceled" } },
      { body: "not json" },
    ];
    for (const [i, failure] of failures.entries()) {
      api.failNext(CUSTOM_SEND, failure);
      late.next = deferred<Answer>();
      expect((await mp.send(textMessage("oUser-fail", `问题${i}`))).text).toBe("success");
      late.next.resolve(fakeAnswer());
      await api.waitFor(() => logs.lines.filter((line) => line.includes("could not be sent")).length === i + 1, `failure ${i} logged`);
    }
    expect(logs.text()).toContain("HTTP 500");
    expect(logs.text()).toContain("45015");
    expect(logs.text()).not.toContain("token-1");
    expect(logs.text()).not.toContain(CREDENTIALS.appSecret);
    expect(recorded.map((r) => r.result.stored)).toEqual([true, true, true]);

    api.expireTokens();
    api.failNext("/cgi-bin/token", { body: { errcode: -1, errmsg: "system busy" } });
    late.next = deferred<Answer>();
    await mp.send(textMessage("oUser-fail", "令牌失败"));
    late.next.resolve(fakeAnswer());
    await api.waitFor(() => logs.text().includes("system busy"), "the token failure logged");

    late.next = deferred<Answer>();
    late.next.resolve(fakeAnswer({ body: "恢复了。" }));
    expect((await mp.send(textMessage("oUser-fail", "恢复了吗"))).reply?.Content).toBe("恢复了。");
  });

  it("answers with an apology when ask fails, and keeps serving", async () => {
    let fail = true;
    const { mp } = await start({
      answer: () => {
        if (fail) throw new Error("index unavailable");
        return fakeAnswer();
      },
    });
    expect((await mp.send(textMessage("oUser-ask-fails", "问题"))).reply?.Content).toContain("12345");
    fail = false;
    expect((await mp.send(textMessage("oUser-ask-fails", "再问"))).reply?.Content).toBe("可以减免[1]。");
  });

  it("refuses a message with a forged signature, an old timestamp, or a document type, without asking", async () => {
    const { mp, asked } = await start();
    expect((await mp.send(textMessage("oUser-forge", "问题"), { token: "not-the-token" })).status).toBe(401);
    expect((await mp.send(textMessage("oUser-forge", "问题"), { skewSeconds: -600 })).status).toBe(401);
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<xml><ToUserName><![CDATA[${MP_ACCOUNT}]]></ToUserName><FromUserName><![CDATA[oUser-forge]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>&b;</Content><MsgId>77</MsgId></xml>`;
    expect((await mp.sendRaw(bomb)).status).toBe(400);
    expect((await mp.sendRaw("<xml><Content>no sender</Content></xml>")).status).toBe(400);
    expect((await mp.sendRaw("not xml at all <<<")).status).toBe(400);
    expect(asked).toHaveLength(0);
  });
});

describe("公众号 messages in safe mode (encrypt_type=aes)", () => {
  it("decrypts the message and encrypts the passive reply for the AppID, signed as msg_signature", async () => {
    const { mp, asked } = await start({ mpAesKey: AES_KEY });
    // The platform helper decrypts the reply with WeCom's library and checks its signature and AppID.
    const { reply } = await mp.send(textMessage("oUser-safe", "加密的问题"));
    expect(asked.map((a) => a.question)).toEqual(["加密的问题"]);
    expect(reply).toMatchObject({ ToUserName: "oUser-safe", FromUserName: MP_ACCOUNT, Content: "关于“加密的问题”：可以减免[1]。" });
  });

  it("refuses a forged msg_signature, a message encrypted for another AppID, and a plain message", async () => {
    const { mp, asked, logs } = await start({ mpAesKey: AES_KEY });
    expect((await mp.send(textMessage("oUser-safe", "问题"), { msgSignature: "0".repeat(40) })).status).toBe(401);
    expect((await mp.send(textMessage("oUser-safe", "问题"), { receiverId: "wx0000000000000000" })).status).toBe(400);
    expect((await mp.send(textMessage("oUser-safe", "问题"), { plain: true })).status).toBe(401);
    expect(asked).toHaveLength(0);
    expect(logs.text()).toContain("receiver");
    expect(logs.text()).not.toContain(AES_KEY);
  });

  it("delivers a slow answer through the API in safe mode too", async () => {
    const late = deferred<Answer>();
    const { mp, api } = await start({ mpAesKey: AES_KEY, answer: () => late.promise, passiveReplyBudgetMs: 20 });
    expect((await mp.send(textMessage("oUser-safe-slow", "慢"))).text).toBe("success");
    late.resolve(fakeAnswer({ body: "迟到的回答。" }));
    await api.waitFor(() => api.delivered(CUSTOM_SEND).length === 1, "the customer-service message");
    expect(api.delivered(CUSTOM_SEND)[0]).toEqual({ user: "oUser-safe-slow", text: "迟到的回答。" });
  });
});
