import { Hono } from "hono";
import type { Logger } from "pino";
import type { SharedState } from "../../cluster/shared-state.js";
import type { Config } from "../../config.js";
import type { Ask } from "../../core/ask.js";
import type { Channel } from "../../core/channel.js";
import type { Intercept } from "../../core/dispatch.js";
import type { Runtime } from "../../core/runtime.js";
import { LiveShortTitles } from "../../documents/live-short-titles.js";
import type { AnswerPages } from "../../handoff/answer-pages.js";
import type { Store } from "../../store/sqlite-store.js";
import type { OpenHandoffs } from "../open-handoffs.js";
import { createCallbackRoutes } from "./callback.js";
import { createConversationHandler, officialRender } from "./conversation-handler.js";
import { createMessageCipher } from "./message-crypto.js";
import { createPassiveFallback, type PassiveFallback } from "./passive-fallback.js";
import { createOfficialAccountApi, createWorkApi } from "./platform-api.js";

export interface WechatOfficialOptions {
  ask: Ask;
  store: Pick<Store, "history" | "recordTurn">;
  config: Pick<Config, "wechatMp" | "wecom"> & Partial<Pick<Config, "publicBaseUrl" | "customerServiceApi">>;
  /** Document id → short title, for the 【依据】 lines. */
  shortTitles: ReadonlyMap<string, string>;
  /** Curated example questions (src/channels/examples.json): the welcome and the menu use them. */
  examples: string[];
  logger?: Logger;
  /** The WeChat API is called through this (tests: a local fake through WECHAT_API_URL works too). */
  fetch?: typeof fetch;
  now?: () => number;
  /** How long a callback waits for the answer before it replies "success" and sends the answer through the API. */
  passiveReplyBudgetMs?: number;
  perUserPerMinute?: number;
  /** Conversations, per-user limits and the resend memory shared with other instances (Redis). */
  shared?: SharedState;
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
  /** Full answers at /a/:id: with them, a passive reply carries the answer when the customer-service API cannot. */
  pages?: AnswerPages;
}

/**
 * The 公众号 callback at /wechat/mp and the 企业微信 application callback at
 * /wechat/work, each present when configured. Both are thin: they verify,
 * decrypt and de-duplicate, then hand the message to the same `ask`.
 */
export function createWechatOfficialRoutes(options: WechatOfficialOptions): Hono {
  const { config, logger, now = Date.now } = options;
  const app = new Hono();
  app.onError((error, c) => {
    logger?.error({ err: error, path: c.req.path }, "wechat callback failed");
    return c.text("error", 500);
  });
  const common = { logger, now, passiveReplyBudgetMs: options.passiveReplyBudgetMs };
  // `channel` names the shared state's keys (unchanged, so conversations survive an upgrade); `stored` the turns' channel.
  const fallback = (customerServiceApi: boolean) =>
    options.pages && createPassiveFallback({ pages: options.pages, publicBaseUrl: config.publicBaseUrl, customerServiceApi, now });
  const handler = (channel: string, stored: "wechat-mp" | "wecom", passive?: PassiveFallback) =>
    createConversationHandler({
      ...options,
      passive,
      channel: stored,
      now,
      conversations: options.shared?.conversations(channel, { idleMs: 30 * 60_000, now }),
      limiter: options.shared?.rateLimiter(`${channel}-user`, options.perUserPerMinute ?? 6),
    });
  const firstTime = (channel: string) => options.shared?.once(`${channel}-delivery`, 10 * 60_000);

  const mp = config.wechatMp;
  if (mp) {
    const api = createOfficialAccountApi({ baseUrl: mp.apiUrl, appId: mp.appId, appSecret: mp.appSecret, fetch: options.fetch, now });
    const cipher = mp.aesKey ? createMessageCipher(mp.aesKey, mp.appId) : undefined;
    const passive = fallback(config.customerServiceApi ?? true);
    const routes = createCallbackRoutes({
      ...common,
      channel: "wechat-mp",
      token: mp.token,
      cipher,
      encryptedVerification: false,
      noReply: "success",
      handle: handler("wechat-mp", "wechat-mp", passive),
      firstTime: firstTime("wechat-mp"),
      api,
      passive,
    });
    app.route("/wechat/mp", routes);
  }
  const work = config.wecom;
  if (work) {
    const api = createWorkApi({ baseUrl: work.apiUrl, corpId: work.corpId, secret: work.secret, agentId: work.agentId, fetch: options.fetch, now });
    const cipher = createMessageCipher(work.aesKey, work.corpId);
    const passive = fallback(true);
    const routes = createCallbackRoutes({
      ...common,
      channel: "wechat-work",
      token: work.token,
      cipher,
      encryptedVerification: true,
      noReply: "",
      handle: handler("wechat-work", "wecom", passive),
      firstTime: firstTime("wechat-work"),
      api,
      passive,
    });
    app.route("/wechat/work", routes);
  }
  return app;
}

export interface MountOptions {
  runtime: Runtime;
  store: Store;
  examples: string[];
  now?: () => number;
  shared?: SharedState;
  handoffs?: OpenHandoffs;
}

type RoutableApp = { route(path: string, routes: Hono): unknown };

/**
 * The 公众号 and 企业微信 callbacks as a `Channel` (core/channel.ts), served by the HTTP server's `app`: `start`
 * adds the configured callbacks to it, `render` gives the text messages a reply sends. The callbacks hold no
 * connection or timer of their own, so `stop` has nothing to let go: they stop with the server that serves them.
 */
export function wechatOfficialChannel(app: RoutableApp, options: MountOptions): Channel<string[]> {
  const { config } = options.runtime;
  let mounted = false;
  return {
    names: [...(config.wechatMp ? (["wechat-mp"] as const) : []), ...(config.wecom ? (["wecom"] as const) : [])],
    async start() {
      if (!mounted) mountWechatOfficial(app, options);
      mounted = true;
    },
    async stop() {},
    render: officialRender(new LiveShortTitles(() => options.runtime.knowledgeBase)),
  };
}

/**
 * Adds the configured callbacks to the server's app (one line in the HTTP server); nothing when
 * neither channel is configured.
 */
export function mountWechatOfficial(app: RoutableApp, options: MountOptions): void {
  const { runtime, store, examples, now, shared, handoffs } = options;
  const { config, logger } = runtime;
  if (!config.wechatMp && !config.wecom) return;
  const shortTitles = new LiveShortTitles(() => runtime.knowledgeBase);
  const ask = handoffs ? handoffs.offering(runtime.ask) : runtime.ask;
  const intercepts = handoffs && [handoffs.intercept];
  app.route("/", createWechatOfficialRoutes({ ask, store, config, logger, shortTitles, examples, now, shared, intercepts, pages: handoffs?.pages }));
  logger.info({ mp: config.wechatMp ? "/wechat/mp" : "off", work: config.wecom ? "/wechat/work" : "off" }, "official WeChat callbacks");
}
