import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { FakeWechatApi } from "../../../../test/fake-wechat-api.js";
import type { Ask } from "../../../core/ask.js";
import type { AnswerPages } from "../../../handoff/answer-pages.js";
import { openSqliteStore, type RecordedTurn, type Store } from "../../../store/sqlite-store.js";
import type { Answer, Turn } from "../../../types.js";
import { createWechatOfficialRoutes } from "../index.js";
import { createPlatform, fakeAnswer, recordingLogger } from "./platform.js";

export const CREDENTIALS = { appId: "wx5f2a9c0e1b7d3a11", appSecret: "mp-app-secret-0d9f", corpId: "ww8c1d2e3f4a5b6c7d", corpSecret: "work-secret-51ab" };
/** The 公众号's original ID, its ToUserName. */
export const MP_ACCOUNT = "gh_3f9a0c21b7de";
export const MP_TOKEN = "mpCallbackToken7f3a";
export const WORK_TOKEN = "workCallbackToken2c9e";
/** A 43-character EncodingAESKey (32 bytes in base64 without the "="). */
export const AES_KEY = Buffer.from("relief-policy-bot-test-aes-key!!").toString("base64").slice(0, 43);
export const EXAMPLES = ["我的企业能减免多少检测费？", "个体工商户歇业最长能保留多久？", "公司刻章备案要多长时间？", "第四个示例？"];
export const START = Date.parse("2026-11-27T02:00:00Z");

export interface HarnessOptions {
  /** Answers a question; by default at once with a fixed answer. */
  answer?: (question: string, history: Turn[]) => Promise<Answer> | Answer;
  mpAesKey?: string;
  passiveReplyBudgetMs?: number;
  perUserPerMinute?: number;
  /** Full-answer pages, the public address their links use, and whether the 公众号 has the customer-service API. */
  pages?: AnswerPages;
  publicBaseUrl?: string;
  customerServiceApi?: boolean;
}

/**
 * Both callbacks on a real HTTP server on 127.0.0.1, over a real in-memory store,
 * calling a local fake WeChat API, with a clock the test moves.
 */
export async function startHarness(options: HarnessOptions = {}) {
  const api = await new FakeWechatApi(CREDENTIALS).start();
  const clock = { now: START };
  const now = () => clock.now;
  const asked: Array<{ question: string; history: Turn[] }> = [];
  const ask: Ask = async (question, history = []) => {
    asked.push({ question, history });
    return options.answer ? options.answer(question, history) : fakeAnswer({ body: `关于“${question}”：可以减免[1]。`, resolvedQuestion: question });
  };
  const realStore = openSqliteStore(":memory:");
  const recorded: Array<{ conversationId?: string; question: string; answer: Answer; result: RecordedTurn }> = [];
  const store: Pick<Store, "history" | "recordTurn"> = {
    history: (id, limit) => realStore.history(id, limit),
    recordTurn: async (input) => {
      const result = await realStore.recordTurn(input);
      recorded.push({ ...input, result });
      return result;
    },
  };
  const logs = recordingLogger();
  const app = createWechatOfficialRoutes({
    ask,
    store,
    config: {
      wechatMp: { token: MP_TOKEN, appId: CREDENTIALS.appId, appSecret: CREDENTIALS.appSecret, aesKey: options.mpAesKey, apiUrl: api.url },
      wecom: { token: WORK_TOKEN, corpId: CREDENTIALS.corpId, agentId: 1000002, secret: CREDENTIALS.corpSecret, aesKey: AES_KEY, apiUrl: `${api.url}/` },
      publicBaseUrl: options.publicBaseUrl,
      customerServiceApi: options.customerServiceApi,
    },
    pages: options.pages,
    shortTitles: new Map([["doc-1", "短标题"]]),
    examples: EXAMPLES,
    logger: logs.logger,
    now,
    passiveReplyBudgetMs: options.passiveReplyBudgetMs ?? 2_000,
    perUserPerMinute: options.perUserPerMinute,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const mp = createPlatform({ url: `${base}/wechat/mp`, token: MP_TOKEN, aesKey: options.mpAesKey, receiverId: CREDENTIALS.appId, account: MP_ACCOUNT, now });
  const work = createPlatform({ url: `${base}/wechat/work`, token: WORK_TOKEN, aesKey: AES_KEY, receiverId: CREDENTIALS.corpId, work: true, now });
  return {
    api,
    clock,
    asked,
    recorded,
    logs,
    mp,
    work,
    base,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.stop();
      realStore.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

let messageIds = 24_000_000_000_000_000n;
/** A text message from `user`, with a fresh 64-bit MsgId. */
export function textMessage(user: string, content: string, msgId = String(++messageIds)) {
  return { FromUserName: user, MsgType: "text", Content: content, MsgId: msgId };
}
