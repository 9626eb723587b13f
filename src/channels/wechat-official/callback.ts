import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { Once } from "../../cluster/once.js";
import { createRecentKeys, deliveryKey, type InboundMessage, inboundMessage } from "./inbound-message.js";
import { callbackSignature, type MessageCipher, signatureMatches } from "./message-crypto.js";
import type { PassiveFallback } from "./passive-fallback.js";
import type { PlatformApi } from "./platform-api.js";
import { buildCallbackXml, parseCallbackXml } from "./xml.js";

/** The platform waits 5 s for a reply, then resends; an answer later than this goes through the API instead. */
export const PASSIVE_REPLY_BUDGET_MS = 4_000;
/** A signed request older or newer than this is refused, so a captured one cannot be replayed later. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface CallbackOptions {
  /** For logs: "wechat-mp" or "wechat-work". */
  channel: string;
  token: string;
  /** Safe mode. With a cipher, plain callbacks are refused. */
  cipher?: MessageCipher;
  /** 企业微信: the URL check sends an encrypted echostr, signed as msg_signature. */
  encryptedVerification: boolean;
  /** What tells the platform "received, no reply": "success" (公众号) or "" (企业微信). */
  noReply: string;
  handle: (message: InboundMessage) => Promise<string[]>;
  api: PlatformApi;
  logger?: Logger;
  now: () => number;
  passiveReplyBudgetMs?: number;
  /** Without a working customer-service API, the passive reply says where the answer is: never "success" with nothing sent. */
  passive?: PassiveFallback;
  /** Shared memory of deliveries (Redis), so a resend landing on another instance is not answered twice. */
  firstTime?: Once;
}

type Query = Record<string, string | undefined>;

/** GET checks the URL, POST receives messages: one callback, either platform. */
export function createCallbackRoutes(options: CallbackOptions): Hono {
  const { channel, token, cipher, logger, now, noReply } = options;
  const budget = options.passiveReplyBudgetMs ?? PASSIVE_REPLY_BUDGET_MS;
  const recent = createRecentKeys({ now });
  const firstTime = options.firstTime ?? (async (key: string) => recent(key));
  const app = new Hono();

  const reject = (c: Context, reason: string, status: 400 | 401 = 401) => {
    // The token, signatures and body are never logged: what failed is enough to act on.
    logger?.warn({ channel, reason, method: c.req.method }, "wechat callback refused");
    return c.text(status === 401 ? "invalid signature" : "bad request", status);
  };
  const fresh = (timestamp: string | undefined) => {
    const seconds = Number(timestamp);
    return !!timestamp && Number.isFinite(seconds) && Math.abs(now() / 1000 - seconds) <= MAX_CLOCK_SKEW_SECONDS;
  };

  app.get("/", (c) => {
    const { signature, msg_signature, timestamp, nonce = "", echostr } = c.req.query() as Query;
    if (!echostr) return reject(c, "no echostr", 400);
    if (!fresh(timestamp)) return reject(c, "timestamp out of range");
    if (!options.encryptedVerification) {
      if (!signatureMatches(signature, callbackSignature([token, timestamp!, nonce]))) return reject(c, "signature mismatch");
      return c.text(echostr);
    }
    if (!cipher || !signatureMatches(msg_signature, callbackSignature([token, timestamp!, nonce, echostr]))) return reject(c, "signature mismatch");
    try {
      return c.text(cipher.decrypt(echostr));
    } catch (error) {
      return reject(c, (error as Error).message);
    }
  });

  app.post("/", bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("too large", 413) }), async (c) => {
    const query = c.req.query() as Query;
    const { timestamp, nonce = "" } = query;
    if (!fresh(timestamp)) return reject(c, "timestamp out of range");
    const encrypted = query.encrypt_type === "aes" || options.encryptedVerification;
    let fields: Record<string, string>;
    try {
      const outer = parseCallbackXml(await c.req.text());
      if (encrypted) {
        if (!cipher) return reject(c, "encrypted callback, but no EncodingAESKey is configured", 400);
        const ciphertext = outer.Encrypt ?? "";
        if (!signatureMatches(query.msg_signature, callbackSignature([token, timestamp!, nonce, ciphertext]))) return reject(c, "signature mismatch");
        fields = parseCallbackXml(cipher.decrypt(ciphertext));
      } else {
        if (!signatureMatches(query.signature, callbackSignature([token, timestamp!, nonce]))) return reject(c, "signature mismatch");
        if (cipher) return reject(c, "plain callback while safe mode is configured");
        fields = outer;
      }
    } catch (error) {
      return reject(c, (error as Error).message, 400);
    }
    const message = inboundMessage(fields);
    if (!message) return reject(c, "not a message or event", 400);
    // A plain-mode signature covers the timestamp and nonce, not the body: bound to the first message it came
    // with, so a captured one cannot carry another body while it is fresh. A resend of that message still passes.
    if (!encrypted && !(await boundToMessage(`${timestamp}:${nonce}`, deliveryKey(message)))) return reject(c, "signature reused with another message");
    if (!(await firstTime(deliveryKey(message)))) {
      logger?.info({ channel, key: deliveryKey(message) }, "wechat callback resent; already answered");
      return c.text(noReply);
    }

    const work = options.handle(message).catch((error) => {
      logger?.error({ err: error, channel }, "wechat message handling failed");
      return [] as string[];
    });
    const quick = await within(work, budget);
    if (quick && quick.length <= 1) return quick.length ? replyXml(c, message, quick[0], encrypted) : c.text(noReply);
    const { passive } = options;
    if (passive && !passive.apiAvailable()) {
      const content = (quick ? Promise.resolve(quick) : work).then((parts) =>
        parts.length ? { body: parts.join("\n\n"), notices: [], citations: [] } : undefined,
      );
      return replyXml(c, message, await passive.late(message.content ?? "", content), encrypted);
    }
    // Late, or in several parts: only one passive reply is allowed, so everything goes through the API, in order.
    void deliver(message.user, quick ? Promise.resolve(quick) : work);
    return c.text(noReply);
  });

  /** True when this timestamp and nonce are new, or were first seen with this same message. */
  async function boundToMessage(signed: string, key: string): Promise<boolean> {
    const fresh = await firstTime(`signed:${signed}`);
    const pairNew = await firstTime(`signed:${signed}:${key}`);
    return fresh || !pairNew;
  }

  async function deliver(user: string, parts: Promise<string[]>): Promise<void> {
    for (const part of await parts) {
      try {
        await options.api.sendText(user, part);
      } catch (error) {
        logger?.error({ err: error, channel }, "wechat answer could not be sent");
        options.passive?.apiFailed();
        return;
      }
    }
  }

  function replyXml(c: Context, message: InboundMessage, text: string, encrypted: boolean) {
    const seconds = Math.floor(now() / 1000);
    const plain = buildCallbackXml({ ToUserName: message.user, FromUserName: message.account, CreateTime: seconds, MsgType: "text", Content: text });
    if (!encrypted || !cipher) return c.body(plain, 200, { "content-type": "application/xml; charset=utf-8" });
    const ciphertext = cipher.encrypt(plain);
    const nonce = randomBytes(8).toString("hex");
    const envelope = buildCallbackXml({
      Encrypt: ciphertext,
      MsgSignature: callbackSignature([token, String(seconds), nonce, ciphertext]),
      TimeStamp: seconds,
      Nonce: nonce,
    });
    return c.body(envelope, 200, { "content-type": "application/xml; charset=utf-8" });
  }

  return app;
}

/** The value if it settles within `ms`, otherwise undefined (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
