import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeWechatApi } from "../../../test/fake-wechat-api.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { type RunningServer, startHttpServer } from "../http/server.js";
import { AES_KEY, CREDENTIALS, MP_ACCOUNT, MP_TOKEN, textMessage, WORK_TOKEN } from "./__fixtures__/harness.js";
import { createPlatform } from "./__fixtures__/platform.js";

let api: FakeWechatApi;
const servers: RunningServer[] = [];

async function start(env: Record<string, string>) {
  const dir = temporaryDirectory();
  const config = loadConfig({
    DOCUMENTS_DIR: temporaryDirectory(),
    SEEDS_DIR,
    INDEX_DIR: `${dir}/index`,
    DATABASE_PATH: `${dir}/db.sqlite`,
    AS_OF_DATE: TODAY,
    HOST: "127.0.0.1",
    ...env,
  });
  const server = await startHttpServer(await createRuntime(config, silentLogger), 0, openSqliteStore(config.databasePath));
  servers.push(server);
  return { base: `http://127.0.0.1:${server.port}`, server };
}

beforeAll(async () => {
  api = await new FakeWechatApi(CREDENTIALS).start();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await api.stop();
});

describe("the official WeChat callbacks in the npm start server", () => {
  it("are served when configured, and answer from the real knowledge base with 【依据】", async () => {
    const { base } = await start({
      WECHAT_MP_TOKEN: MP_TOKEN,
      WECHAT_MP_APP_ID: CREDENTIALS.appId,
      WECHAT_MP_APP_SECRET: CREDENTIALS.appSecret,
      WECHAT_MP_AES_KEY: AES_KEY,
      WECHAT_API_URL: api.url,
      WECOM_CORP_ID: CREDENTIALS.corpId,
      WECOM_AGENT_ID: "1000002",
      WECOM_SECRET: CREDENTIALS.corpSecret,
      WECOM_TOKEN: WORK_TOKEN,
      WECOM_AES_KEY: AES_KEY,
      WECOM_API_URL: api.url,
    });
    const now = Date.now;
    const mp = createPlatform({ url: `${base}/wechat/mp`, token: MP_TOKEN, aesKey: AES_KEY, receiverId: CREDENTIALS.appId, account: MP_ACCOUNT, now });
    const work = createPlatform({ url: `${base}/wechat/work`, token: WORK_TOKEN, aesKey: AES_KEY, receiverId: CREDENTIALS.corpId, work: true, now });
    expect(await mp.verify({ echostr: "mp-echo" })).toEqual({ status: 200, text: "mp-echo" });
    expect(await work.verify({ echostr: "work-echo" })).toEqual({ status: 200, text: "work-echo" });

    const answered = async (platform: typeof mp, path: string, user: string) => {
      const response = await platform.send(textMessage(user, "我的企业能减免多少检测费？"));
      if (response.reply) return response.reply.Content;
      await api.waitFor(() => api.delivered(path).some((d) => d.user === user && d.text.includes("【依据】")), "the answer through the API");
      return api
        .delivered(path)
        .filter((d) => d.user === user)
        .map((d) => d.text)
        .join("");
    };
    expect(await answered(mp, "/cgi-bin/message/custom/send", "oSeed")).toMatch(/检验检测[\s\S]*【依据】/);
    expect(await answered(work, "/cgi-bin/message/send", "seed-user")).toMatch(/检验检测[\s\S]*【依据】/);
  });

  it("are absent when not configured", async () => {
    const { base } = await start({});
    expect((await fetch(`${base}/wechat/mp?echostr=x`)).status).toBe(404);
    expect((await fetch(`${base}/wechat/work?echostr=x`)).status).toBe(404);
  });
});
