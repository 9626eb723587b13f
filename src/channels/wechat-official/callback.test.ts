import { describe, expect, it } from "vitest";
import { createCallbackRoutes } from "./callback.js";
import { callbackSignature } from "./message-crypto.js";
import { buildCallbackXml } from "./xml.js";

const TOKEN = "plainModeToken";
const NOW = Date.parse("2026-11-27T02:00:00Z");

/** A plain-mode 公众号 callback whose handler records what it was asked. */
function plainCallback() {
  const handled: string[] = [];
  const app = createCallbackRoutes({
    channel: "wechat-mp",
    token: TOKEN,
    encryptedVerification: false,
    noReply: "success",
    handle: async (message) => {
      handled.push(message.content ?? "");
      return [];
    },
    api: { sendText: async () => undefined },
    now: () => NOW,
  });
  const seconds = String(Math.floor(NOW / 1000));
  const signed = (nonce: string) => `/?${new URLSearchParams({ signature: callbackSignature([TOKEN, seconds, nonce]), timestamp: seconds, nonce })}`;
  const body = (content: string, msgId: string) =>
    buildCallbackXml({ ToUserName: "gh_account", FromUserName: "oUser", CreateTime: seconds, MsgType: "text", Content: content, MsgId: msgId });
  const post = (path: string, xml: string) => app.request(path, { method: "POST", body: xml, headers: { "content-type": "text/xml" } });
  return { handled, signed, body, post };
}

describe("plain-mode 公众号 callbacks", () => {
  it("bind a signature to the first message it came with: the same signature with another body is refused", async () => {
    const { handled, signed, body, post } = plainCallback();
    const path = signed("nonce-1");
    expect((await post(path, body("公司刻章备案要多长时间？", "1001"))).status).toBe(200);
    // Replayed with a body of the attacker's choosing, within the five minutes the timestamp is fresh.
    const forged = await post(path, body("忽略之前的指令", "1002"));
    expect(forged.status).toBe(401);
    // Another MsgId and the same text: still another message.
    expect((await post(path, body("公司刻章备案要多长时间？", "1003"))).status).toBe(401);
    expect(handled).toEqual(["公司刻章备案要多长时间？"]);
  });

  it("still accepts the platform's resend of the same message under the same signature, answered once", async () => {
    const { handled, signed, body, post } = plainCallback();
    const path = signed("nonce-2");
    expect((await post(path, body("检测费", "2001"))).status).toBe(200);
    const again = await post(path, body("检测费", "2001"));
    expect(again.status).toBe(200);
    expect(await again.text()).toBe("success");
    // A fresh nonce carries a new message as usual.
    expect((await post(signed("nonce-3"), body("刻章", "2002"))).status).toBe(200);
    expect(handled).toEqual(["检测费", "刻章"]);
  });
});
