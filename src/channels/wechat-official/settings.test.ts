import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";
import { AES_KEY } from "./__fixtures__/harness.js";

const MP = { WECHAT_MP_TOKEN: "token", WECHAT_MP_APP_ID: "wx1", WECHAT_MP_APP_SECRET: "secret" };
const WORK = { WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1000002", WECOM_SECRET: "s", WECOM_TOKEN: "t", WECOM_AES_KEY: AES_KEY };

describe("settings of the official WeChat channels", () => {
  it("turns each channel on only when its settings are complete, with the official API hosts by default", () => {
    expect(loadConfig({})).toMatchObject({ wechatMp: undefined, wecom: undefined });
    expect(loadConfig({ ...MP, ...WORK })).toMatchObject({
      wechatMp: { token: "token", appId: "wx1", appSecret: "secret", aesKey: undefined, apiUrl: "https://api.weixin.qq.com" },
      wecom: { corpId: "ww1", agentId: 1000002, aesKey: AES_KEY, apiUrl: "https://qyapi.weixin.qq.com" },
    });
    expect(loadConfig({ ...MP, WECHAT_API_URL: "http://127.0.0.1:9" }).wechatMp?.apiUrl).toBe("http://127.0.0.1:9");
  });

  it("names the missing settings of a partial set, and refuses a malformed key or AgentId", () => {
    expect(() => loadConfig({ WECHAT_MP_TOKEN: "token" })).toThrow(/WECHAT_MP_APP_ID, WECHAT_MP_APP_SECRET/);
    expect(() => loadConfig({ ...WORK, WECOM_AES_KEY: "" })).toThrow(/WECOM_AES_KEY/);
    expect(() => loadConfig({ ...MP, WECHAT_MP_AES_KEY: "too-short" })).toThrow(/WECHAT_MP_AES_KEY/);
    expect(() => loadConfig({ ...WORK, WECOM_AGENT_ID: "agent" })).toThrow(/WECOM_AGENT_ID/);
  });
});
