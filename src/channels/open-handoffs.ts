import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Ask } from "../core/ask.js";
import type { Intercept } from "../core/dispatch.js";
import { AnswerPages } from "../handoff/answer-pages.js";
import { HandoffService } from "../handoff/handoff-service.js";
import { createWebhook } from "../handoff/webhook.js";
import type { QuestionLibrary } from "../library/question-library.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Store } from "../store/store.js";
import { handoffIntercept, offeringHandoff } from "./handoff-intercept.js";
import { slackClient, slackDeliverer, slackHandoffListener } from "./slack/handoff.js";
import { CUSTOMER_SERVICE_WINDOW_MS, officialDeliverer } from "./wechat-official/handoff-delivery.js";
import { createOfficialAccountApi, createWorkApi } from "./wechat-official/platform-api.js";

export interface OpenHandoffsOptions {
  runtime: { config: Config; logger?: Logger; readonly knowledgeBase: KnowledgeBase; library?: QuestionLibrary };
  store: Pick<Store, "db" | "ready" | "history">;
  /** The Slack and WeChat APIs and the webhook are called through this (tests: local fakes). */
  fetch?: typeof fetch;
  now?: () => number;
  /** How often this process sends replies waiting for a channel it reaches; 0 for never (tests call deliverPending). */
  deliveryIntervalMs?: number;
}

export interface OpenHandoffs {
  service: HandoffService;
  pages: AnswerPages;
  /** The dispatcher step every channel takes: 转人工 becomes a hand-off. */
  intercept: Intercept;
  /** `ask` whose refusals offer a person, for the channels' dispatchers. */
  offering(ask: Ask): Ask;
  stop(): Promise<void>;
}

/**
 * Hand-offs as configured, in any process: the webhook (HANDOFF_WEBHOOK_URL), the message in
 * SLACK_HANDOFF_CHANNEL, and the deliverers this process can use without a running channel (Slack DMs, the
 * 公众号 and 企业微信 message APIs). The wechaty bot registers its own when it starts.
 */
export function openHandoffs({ runtime, store, fetch, now = Date.now, deliveryIntervalMs = 5_000 }: OpenHandoffsOptions): OpenHandoffs {
  const { config, logger } = runtime;
  const { webhook: target, hours, slackChannel } = config.handoff;
  const webhook = target && createWebhook({ ...target, fetch, now, logger });
  const service = new HandoffService({
    store,
    knowledgeBase: () => runtime.knowledgeBase,
    library: runtime.library,
    hours,
    webhook,
    logger,
    now,
  });
  if (config.slack.botToken) {
    const client = slackClient(config.slack.botToken, config.slack.apiUrl);
    service.registry.register("slack", slackDeliverer(client));
    if (slackChannel) service.listen(slackHandoffListener({ client, channel: slackChannel, service }));
  }
  const mp = config.wechatMp;
  if (mp) {
    const api = createOfficialAccountApi({ baseUrl: mp.apiUrl, appId: mp.appId, appSecret: mp.appSecret, fetch, now });
    service.registry.register("wechat-mp", officialDeliverer({ api, now, windowMs: CUSTOMER_SERVICE_WINDOW_MS, available: config.customerServiceApi }));
  }
  const work = config.wecom;
  if (work) {
    const api = createWorkApi({ baseUrl: work.apiUrl, corpId: work.corpId, secret: work.secret, agentId: work.agentId, fetch, now });
    service.registry.register("wecom", officialDeliverer({ api, now }));
  }
  const loop = deliveryIntervalMs > 0 ? service.startDeliveryLoop(deliveryIntervalMs) : undefined;
  const pages = new AnswerPages(service.store.db, now);
  // Expired answer pages are deleted hourly; a page past its date is already refused when read.
  const sweep = setInterval(() => void pages.sweep().catch((error) => logger?.warn({ err: error }, "could not delete expired answer pages")), 3_600_000);
  sweep.unref();
  return {
    service,
    pages,
    intercept: handoffIntercept(service),
    offering: offeringHandoff,
    async stop() {
      loop?.stop();
      clearInterval(sweep);
      await webhook?.settle();
    },
  };
}
