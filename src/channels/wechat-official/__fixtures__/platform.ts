import { createHash } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import pino from "pino";

/**
 * The platform's side of a callback, written apart from the code under test:
 * signatures by hand, encryption by WeCom's own library (@wecom/crypto), XML
 * as the platform prints it. Tests drive the endpoints through it.
 */
export interface PlatformOptions {
  /** The server's base URL and the callback path. */
  url: string;
  token: string;
  /** Safe mode: encrypt with this EncodingAESKey for `receiverId`. */
  aesKey?: string;
  receiverId: string;
  /** ToUserName: a 公众号's original ID (gh_…); the CorpID for 企业微信 (the default). */
  account?: string;
  /** 企业微信: the URL check sends an encrypted echostr. */
  work?: boolean;
  now: () => number;
}

export interface CallbackResponse {
  status: number;
  text: string;
  /** The reply's fields, decrypted in safe mode; undefined for "success" or "". */
  reply?: Record<string, string>;
}

const sha1 = (parts: string[]) =>
  createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
let nonces = 0;

/** `<xml>` as the platform writes it: every string in CDATA, numbers bare. */
export function platformXml(fields: Record<string, string | number>): string {
  return `<xml>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === "number" ? value : `<![CDATA[${value}]]>`}</${name}>`)
    .join("\n")}</xml>`;
}

/** Reads the text fields of a reply with a regular expression, not with the parser under test. */
export function readXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) fields[match[1]] = match[2] ?? match[3];
  return fields;
}

export function createPlatform(options: PlatformOptions) {
  const { url, token, aesKey, receiverId, now } = options;
  const seconds = (skewSeconds = 0) => String(Math.floor(now() / 1000) + skewSeconds);

  return {
    /** The URL check the console runs when the URL is saved. */
    async verify(overrides: { token?: string; skewSeconds?: number; echostr?: string; receiverId?: string } = {}): Promise<{ status: number; text: string }> {
      const timestamp = seconds(overrides.skewSeconds);
      const nonce = `n${++nonces}`;
      const signingToken = overrides.token ?? token;
      const query = new URLSearchParams({ timestamp, nonce });
      if (options.work) {
        const echostr = encrypt(aesKey!, overrides.echostr ?? "echo-1234567890", overrides.receiverId ?? receiverId);
        query.set("echostr", echostr);
        query.set("msg_signature", getSignature(signingToken, timestamp, nonce, echostr));
      } else {
        query.set("echostr", overrides.echostr ?? "echo-1234567890");
        query.set("signature", sha1([signingToken, timestamp, nonce]));
      }
      const response = await fetch(`${url}?${query}`);
      return { status: response.status, text: await response.text() };
    },

    /** Posts a body as it is, signed in plain mode: for bodies the platform would never send. */
    async sendRaw(body: string): Promise<{ status: number; text: string }> {
      const timestamp = seconds();
      const nonce = `n${++nonces}`;
      const query = new URLSearchParams({ signature: sha1([token, timestamp, nonce]), timestamp, nonce });
      const response = await fetch(`${url}?${query}`, { method: "POST", headers: { "content-type": "text/xml" }, body });
      return { status: response.status, text: await response.text() };
    },

    /** Posts a message or event, signed (and encrypted in safe mode) as the platform does. */
    async send(
      fields: Record<string, string | number>,
      overrides: { token?: string; skewSeconds?: number; receiverId?: string; plain?: boolean; msgSignature?: string } = {},
    ): Promise<CallbackResponse> {
      const timestamp = seconds(overrides.skewSeconds);
      const nonce = `n${++nonces}`;
      const signingToken = overrides.token ?? token;
      const account = options.account ?? receiverId;
      const inner = platformXml({ ToUserName: account, CreateTime: Math.floor(now() / 1000), ...fields });
      // 公众号: signature always, msg_signature and encrypt_type in safe mode; 企业微信: msg_signature only.
      const query = new URLSearchParams(options.work ? { timestamp, nonce } : { signature: sha1([signingToken, timestamp, nonce]), timestamp, nonce });
      let body = inner;
      const encrypted = !!aesKey && !overrides.plain;
      if (encrypted) {
        const ciphertext = encrypt(aesKey, inner, overrides.receiverId ?? receiverId);
        body = platformXml({ ToUserName: account, Encrypt: ciphertext });
        if (!options.work) query.set("encrypt_type", "aes");
        query.set("msg_signature", overrides.msgSignature ?? getSignature(signingToken, timestamp, nonce, ciphertext));
      }
      const response = await fetch(`${url}?${query}`, { method: "POST", headers: { "content-type": "text/xml" }, body });
      const text = await response.text();
      if (!text.startsWith("<xml>")) return { status: response.status, text };
      if (!encrypted) return { status: response.status, text, reply: readXml(text) };
      const envelope = readXml(text);
      if (envelope.MsgSignature !== getSignature(token, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt))
        throw new Error("reply signature does not verify");
      const opened = decrypt(aesKey, envelope.Encrypt);
      if (opened.id !== receiverId) throw new Error(`reply encrypted for ${opened.id}, not ${receiverId}`);
      return { status: response.status, text, reply: readXml(opened.message) };
    },
  };
}

/** A pino logger whose lines the test can read. */
export function recordingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
  return { logger, lines, text: () => lines.join("") };
}

export { fakeAnswer } from "../../../../test/fake-answer.js";

/** A promise the test settles by hand: an answer that is late exactly as long as the test wants. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
