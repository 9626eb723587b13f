import type { Logger } from "pino";
import type { WechatyInterface } from "wechaty/impls";
import { AppError, isAppError } from "../../errors.js";
import { retry } from "../../retry.js";

/** Where each puppet connects, for the message when it cannot. */
const PUPPET_HOSTS: Record<string, string> = {
  "wechaty-puppet-wechat4u": "login.wx.qq.com",
  "wechaty-puppet-service": "the puppet service endpoint",
};

const NETWORK_FAILURE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UNAVAILABLE)\b:?\s*([\w.-]+(?::\d+)?)?/;

/** The host a network error names, when it is one: `getaddrinfo ENOTFOUND login.wx.qq.com`. */
export function unreachableHost(error: unknown): { code: string; host?: string } | undefined {
  const match = (error instanceof Error ? error.message : String(error)).match(NETWORK_FAILURE);
  if (!match) return undefined;
  const host = match[2] && /[.:]/.test(match[2]) ? match[2] : undefined;
  return { code: match[1]!, host };
}

export interface ConnectOptions {
  bot: WechatyInterface;
  puppet: string;
  logger: Logger;
  /** Tries before giving up; the wait doubles after each, from `firstDelayMs`. */
  attempts?: number;
  firstDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Starts the bot and waits until its puppet reached WeChat (a QR code to scan,
 * or a login). A puppet that cannot reach its host is stopped and started
 * again with backoff, one line each time; after the last try this throws.
 * Other puppet errors are logged once each, not once a retry.
 */
export async function connectWechat(options: ConnectOptions): Promise<void> {
  const { bot, puppet, logger, attempts = 5, firstDelayMs = 2000, sleep } = options;
  let unreachable: { code: string; host?: string } | undefined;
  const host = () => unreachable?.host ?? PUPPET_HOSTS[puppet] ?? "its host";
  try {
    await retry(
      async () => {
        try {
          await startUntilReachable(bot, logger);
        } catch (error) {
          unreachable = unreachableHost(error);
          if (!unreachable) {
            // Not the network: a missing puppet package or a bad token does not get better by waiting.
            throw new AppError(
              "CONFIG_INVALID",
              `WeChat puppet ${puppet} could not start: ${(error as Error).message}. Install it (npm install ${puppet}) or set WECHATY_PUPPET; puppet services need WECHATY_PUPPET_SERVICE_TOKEN.`,
              { cause: error },
            );
          }
          await bot.stop().catch((stopError) => logger.debug({ err: stopError }, "wechat puppet did not stop cleanly"));
          throw error;
        }
      },
      {
        attempts,
        firstDelayMs,
        maxDelayMs: 60_000,
        sleep,
        retryable: (error) => !isAppError(error, "CONFIG_INVALID"),
        onRetry: (_error, attempt, delayMs) =>
          logger.warn(
            `WeChat: cannot reach ${host()} (${unreachable?.code}) with puppet ${puppet}; trying again in ${Math.round(delayMs / 1000)} s (${attempt}/${attempts})`,
          ),
      },
    );
  } catch (error) {
    if (isAppError(error, "CONFIG_INVALID")) throw error;
    throw new AppError(
      "CHANNEL_UNREACHABLE",
      `WeChat: could not reach ${host()} (${unreachable?.code}) with puppet ${puppet} after ${attempts} attempts. Check this machine's network access to ${host()}, or choose another puppet with WECHATY_PUPPET.`,
    );
  }
}

/** Resolves on the first QR code or login; rejects on the first network error or a failed start. */
function startUntilReachable(bot: WechatyInterface, logger: Logger): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const reached = () => {
      cleanup();
      resolve();
    };
    const failed = (error: unknown) => {
      if (!unreachableHost(error)) return;
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      bot.off("scan", reached);
      bot.off("login", reached);
      bot.off("error", failed);
    };
    bot.on("scan", reached);
    bot.on("login", reached);
    bot.on("error", failed);
    bot.start().catch((error) => {
      cleanup();
      logger.debug({ err: error }, "wechat puppet failed to start");
      reject(error);
    });
  });
}

/**
 * Logs each puppet error as one line, its stack only at debug, and a run of the
 * same error once: a puppet that retries on its own repeats it many times a second.
 */
export function createErrorLog(logger: Logger): (error: unknown) => void {
  let last: string | undefined;
  let repeats = 0;
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (message === last) {
      repeats++;
      return;
    }
    if (repeats) logger.warn(`WeChat: the previous error repeated ${repeats} more times`);
    last = message;
    repeats = 0;
    logger.error(`WeChat error: ${message}`);
    logger.debug({ err: error }, "wechat error details");
  };
}
