import qrcodeTerminal from "qrcode-terminal";
import { ScanStatus, WechatyBuilder } from "wechaty";
import type { WechatyInterface } from "wechaty/impls";
import type { Runtime } from "../../core/runtime.js";
import { AppError } from "../../errors.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import { attachWechatBot } from "./wechat-bot.js";

export interface RunningWechat {
  bot: WechatyInterface;
  stop(): Promise<void>;
}

/** `npm run wechat`: builds the bot on WECHATY_PUPPET, prints the login QR code, and answers. */
export async function startWechat(
  runtime: Runtime,
  bot?: WechatyInterface,
  store: Store = openSqliteStore(runtime.config.databasePath, runtime.logger),
): Promise<RunningWechat> {
  const { wechat } = runtime.config;
  const { logger } = runtime;
  const wechaty =
    bot ??
    WechatyBuilder.build({
      name: "relief-policy-bot",
      puppet: wechat.puppet as never,
      puppetOptions: wechat.puppetToken ? { token: wechat.puppetToken } : undefined,
    });
  wechaty.on("scan", (qrcode: string, status: ScanStatus) => {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
    qrcodeTerminal.generate(qrcode, { small: true });
    logger.info({ link: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` }, "scan the QR code to log in");
  });
  const attached = attachWechatBot({
    bot: wechaty,
    ask: runtime.ask,
    store,
    knowledgeBase: runtime.knowledgeBase,
    logger,
    rooms: wechat.rooms,
    trigger: wechat.trigger,
  });
  try {
    await wechaty.start();
  } catch (error) {
    throw new AppError(
      "CONFIG_INVALID",
      `WeChat puppet ${wechat.puppet} could not start: ${(error as Error).message}. Install it (npm install ${wechat.puppet}) or set WECHATY_PUPPET; puppet services need WECHATY_PUPPET_SERVICE_TOKEN.`,
      { cause: error },
    );
  }
  return {
    bot: wechaty,
    stop: async () => {
      attached.stop();
      await wechaty.stop();
      store.close();
    },
  };
}
