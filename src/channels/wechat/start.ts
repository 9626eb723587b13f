import { dirname, join } from "node:path";
import qrcodeTerminal from "qrcode-terminal";
import { ScanStatus, WechatyBuilder } from "wechaty";
import type { WechatyInterface } from "wechaty/impls";
import type { SharedState } from "../../cluster/shared-state.js";
import type { Config } from "../../config.js";
import type { Runtime } from "../../core/runtime.js";
import { LiveShortTitles } from "../../documents/live-short-titles.js";
import { openConfiguredStore } from "../../store/open-configured-store.js";
import type { Store } from "../../store/sqlite-store.js";
import { type OpenHandoffs, openHandoffs } from "../open-handoffs.js";
import { type ConnectOptions, connectWechat, createErrorLog, unreachableHost } from "./connection.js";
import { wechatyDeliverer } from "./handoff-delivery.js";
import { wechatyChannel } from "./wechat-bot.js";

export interface RunningWechat {
  bot: WechatyInterface;
  stop(): Promise<void>;
}

export interface StartWechatOptions {
  /** A bot built elsewhere (tests: on a mock or failing puppet); by default one on WECHATY_PUPPET. */
  bot?: WechatyInterface;
  store?: Store;
  /** Conversations and per-contact limits shared with other instances (Redis). */
  shared?: SharedState;
  /** Retry settings for reaching WeChat. */
  connect?: Pick<ConnectOptions, "attempts" | "firstDelayMs" | "sleep">;
  /** 转人工 (tests: one with its own clock); by default opened on the store as configured. */
  handoffs?: OpenHandoffs;
}

/**
 * The login session is kept beside the database, never in the working folder;
 * with an in-memory database the bot keeps it in memory too (tests).
 */
function memoryCardName(config: Config): string | undefined {
  return config.databasePath === ":memory:" ? undefined : join(dirname(config.databasePath), "wechat-login");
}

/** `npm run wechat`: builds the bot on WECHATY_PUPPET, prints the login QR code, and answers. */
export async function startWechat(runtime: Runtime, options: StartWechatOptions = {}): Promise<RunningWechat> {
  const { config, logger } = runtime;
  const { wechat } = config;
  const store = options.store ?? (await openConfiguredStore(config, logger));
  const bot =
    options.bot ??
    WechatyBuilder.build({
      name: memoryCardName(config),
      puppet: wechat.puppet as never,
      puppetOptions: wechat.puppetToken ? { token: wechat.puppetToken } : undefined,
    });
  // Always listened to: an emitter with no error listener throws. While connecting, connectWechat reports
  // what went wrong, one line a try; what a puppet stopped between tries says as it stops is noise.
  let connecting = true;
  const logError = createErrorLog(logger);
  bot.on("error", (error) => {
    if (!connecting) logError(error);
    else if (!unreachableHost(error)) logger.debug({ err: error }, "wechat puppet error while connecting");
  });
  bot.on("scan", (qrcode: string, status: ScanStatus) => {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
    qrcodeTerminal.generate(qrcode, { small: true });
    logger.info({ link: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` }, "scan the QR code to log in");
  });
  const handoffs = options.handoffs ?? openHandoffs({ runtime, store });
  handoffs.service.registry.register("wechaty", wechatyDeliverer(bot));
  const attached = wechatyChannel({
    bot,
    ask: handoffs.offering(runtime.ask),
    intercepts: [handoffs.intercept],
    store,
    shortTitles: new LiveShortTitles(() => runtime.knowledgeBase),
    logger,
    rooms: wechat.rooms,
    trigger: wechat.trigger,
    conversations: options.shared?.conversations("wechaty", { idleMs: 30 * 60_000, now: Date.now }),
    limiter: options.shared?.rateLimiter("wechaty-contact", 6),
  });
  await attached.start();
  try {
    await connectWechat({ bot, puppet: wechat.puppet, logger, ...options.connect });
    connecting = false;
  } catch (error) {
    await attached.stop();
    await handoffs.stop();
    if (!options.store) await store.close();
    throw error;
  }
  return {
    bot,
    stop: async () => {
      await attached.stop();
      await handoffs.stop();
      await bot.stop();
      if (!options.store) await store.close();
    },
  };
}
