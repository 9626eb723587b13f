import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../../errors.js";

/*
 * Ours rather than @wecom/crypto (kept as the tests' reference implementation):
 * its decrypt returns a bad padding unchanged (a pad byte outside 1..32 is
 * ignored, the bytes of a valid one are not checked), reads the length without
 * checking it against the body, and leaves comparing the receiver id to the
 * caller. A callback is attacker input, so each of those is refused here with
 * a reason, in a few lines we can test against the vendor's own ciphertexts.
 */

/** WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not to the cipher's 16. */
const BLOCK = 32;

/** The callback signature: SHA-1 over the sorted token, timestamp, nonce (and, when encrypted, the ciphertext). */
export function callbackSignature(parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** Compares a signature from a request with the expected one, in constant time. */
export function signatureMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class MessageCryptoError extends AppError {
  constructor(readonly reason: "padding" | "length" | "receiver" | "ciphertext") {
    super("MESSAGE_CRYPTO", `encrypted callback rejected: ${reason}`, { userMessage: "消息解密失败，已拒绝。" });
    this.name = "MessageCryptoError";
  }
}

export interface MessageCipher {
  /** base64(AES-256-CBC(random16 ‖ length32be ‖ message ‖ receiverId)), key and IV from the EncodingAESKey. */
  encrypt(message: string, random?: Buffer): string;
  /** The message, after checking padding, length and that it was meant for this receiver (AppID or CorpID). */
  decrypt(ciphertext: string): string;
}

/** The safe-mode cipher of a 公众号 (receiver: its AppID) or a 企业微信 application (receiver: the CorpID). */
export function createMessageCipher(encodingAesKey: string, receiverId: string): MessageCipher {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new Error("an EncodingAESKey is 43 base64 characters (32 bytes)");
  const iv = key.subarray(0, 16);
  const receiver = Buffer.from(receiverId);

  return {
    encrypt(message, random = randomBytes(16)) {
      const text = Buffer.from(message);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(text.length);
      const plain = Buffer.concat([random, length, text, receiver]);
      const pad = BLOCK - (plain.length % BLOCK);
      const cipher = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
    },
    decrypt(ciphertext) {
      const data = Buffer.from(ciphertext, "base64");
      if (!data.length || data.length % BLOCK !== 0) throw new MessageCryptoError("ciphertext");
      const decipher = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
      const plain = Buffer.concat([decipher.update(data), decipher.final()]);
      const pad = plain[plain.length - 1];
      if (pad < 1 || pad > BLOCK || !plain.subarray(plain.length - pad).every((byte) => byte === pad)) throw new MessageCryptoError("padding");
      const body = plain.subarray(0, plain.length - pad);
      if (body.length < 20) throw new MessageCryptoError("length");
      const length = body.readUInt32BE(16);
      if (20 + length > body.length) throw new MessageCryptoError("length");
      if (!body.subarray(20 + length).equals(receiver)) throw new MessageCryptoError("receiver");
      return body.subarray(20, 20 + length).toString("utf8");
    },
  };
}
