import { createCipheriv } from "node:crypto";
import { decrypt as vendorDecrypt, encrypt as vendorEncrypt, getSignature as vendorSignature } from "@wecom/crypto";
import { describe, expect, it } from "vitest";
import { callbackSignature, createMessageCipher, MessageCryptoError, signatureMatches } from "./message-crypto.js";

const AES_KEY = "cmVsaWVmLXBvbGljeS1ib3QtdGVzdC1hZXMta2V5ISE";
const APP_ID = "wx5f2a9c0e1b7d3a11";
const MESSAGE = "<xml><Content><![CDATA[检测费能减免吗？]]></Content></xml>";
/**
 * MESSAGE encrypted for APP_ID with the random prefix "0123456789abcdef", computed twice outside this
 * code: by WeCom's @wecom/crypto, and by Python building the plaintext by hand and piping it to
 * `openssl enc -aes-256-cbc -nopad -K <key> -iv <first 16 bytes of key>`. Both gave this.
 */
const VECTOR =
  "FV1oRwXaM0xGIMI0yoQMjknyLMaVv71ZJJVBkDJrN6BWdY3B85QKBvEccoo3Kr4t42dTnTud4/bdPxlAIgnnNcXhXF0jkYkQeBj5EARevjsJREetFuJkokWgBt98Ny7uaUE2pqA5I7M9wa2r/eZGteYAJnp9K37tZH120aVIoUw=";

const cipher = createMessageCipher(AES_KEY, APP_ID);
const key = Buffer.from(`${AES_KEY}=`, "base64");

/** Encrypts raw bytes with the callback key and no padding, to build malformed plaintexts. */
function rawEncrypt(plain: Buffer): string {
  const aes = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([aes.update(plain), aes.final()]).toString("base64");
}

describe("callback encryption", () => {
  it("matches the fixed vector both ways", () => {
    expect(cipher.encrypt(MESSAGE, Buffer.from("0123456789abcdef"))).toBe(VECTOR);
    expect(cipher.decrypt(VECTOR)).toBe(MESSAGE);
  });

  it("agrees with WeCom's library for messages of every length around the block size", () => {
    for (let length = 0; length <= 70; length++) {
      const message = "政".repeat(length % 7) + "x".repeat(length);
      const ours = cipher.encrypt(message);
      // 32-byte blocks: with 16-byte PKCS#7 half of these lengths would come out an odd number of 16-byte blocks.
      expect(Buffer.from(ours, "base64").length % 32).toBe(0);
      expect(vendorDecrypt(AES_KEY, ours)).toMatchObject({ message, id: APP_ID });
      expect(cipher.decrypt(vendorEncrypt(AES_KEY, message, APP_ID))).toBe(message);
    }
  });

  it("refuses a message encrypted for another AppID or CorpID", () => {
    expect(() => cipher.decrypt(vendorEncrypt(AES_KEY, MESSAGE, "wx0000000000000000"))).toThrow(MessageCryptoError);
    expect(() => cipher.decrypt(vendorEncrypt(AES_KEY, MESSAGE, `${APP_ID}x`))).toThrow(/receiver/);
  });

  it("refuses bad padding, a length past the end, and ciphertext that is not whole blocks", () => {
    const body = Buffer.concat([Buffer.alloc(16, 1), Buffer.from([0, 0, 0, 2]), Buffer.from("hi"), Buffer.from(APP_ID)]);
    const padTo32 = (data: Buffer, byte: number) => Buffer.concat([data, Buffer.alloc(32 - (data.length % 32), byte)]);
    const pad = 32 - (body.length % 32);
    expect(cipher.decrypt(rawEncrypt(padTo32(body, pad)))).toBe("hi");
    expect(() => cipher.decrypt(rawEncrypt(padTo32(body, 0)))).toThrow(/padding/);
    expect(() => cipher.decrypt(rawEncrypt(padTo32(body, pad + 1)))).toThrow(/padding/);
    const tooLong = Buffer.from(body);
    tooLong.writeUInt32BE(5000, 16);
    expect(() => cipher.decrypt(rawEncrypt(padTo32(tooLong, pad)))).toThrow(/length/);
    expect(() => cipher.decrypt(Buffer.alloc(48).toString("base64"))).toThrow(/ciphertext/);
  });

  it("signs as the platform does, and compares signatures whatever their case", () => {
    const parts = ["token", "1409304348", "xxxxxx", VECTOR];
    const expected = vendorSignature("token", "1409304348", "xxxxxx", VECTOR);
    expect(callbackSignature(parts)).toBe(expected);
    expect(signatureMatches(expected.toUpperCase(), expected)).toBe(true);
    expect(signatureMatches(`${expected.slice(0, -1)}0`, expected)).toBe(expected.endsWith("0"));
    expect(signatureMatches(undefined, expected)).toBe(false);
    expect(signatureMatches(expected.slice(1), expected)).toBe(false);
  });
});
