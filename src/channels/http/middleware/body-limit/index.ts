import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

export const MAX_BODY_BYTES = 16 * 1024;

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** The Node request under @hono/node-server; absent (or a stand-in without a body) under app.request() and on other runtimes. */
function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof Readable ? (incoming as IncomingMessage) : undefined;
}

/** Reads at most `maxBytes` of the request; undefined once it is longer. */
function readCapped(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => incoming.off("data", onData).off("end", onEnd).off("error", onError);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      settle();
      resolve(undefined);
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    // A client gone before the end of its body is an error ("aborted"): the request must not hang waiting.
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    incoming.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/**
 * 413 naming the limit, before any route reads a body larger than `maxBytes`.
 *
 * A JSON body is read here straight from Node's request and handed to Hono's body cache: reaching for
 * `c.req.raw.body` makes @hono/node-server build a full fetch Request, a web stream and an AbortSignal
 * for every call, which cost about a tenth of an answer under load. Other bodies (uploads) and other
 * runtimes take Hono's own bodyLimit.
 */
export function limitBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = maxBytes % 1024 === 0 ? `${maxBytes / 1024} KB` : `${maxBytes} bytes`;
  const tooLarge = (c: Context) => c.json({ error: `body: request body is larger than ${limit}`, field: "body" }, 413);
  const generic = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const incoming = incomingOf(c);
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim();
    if (!incoming || c.req.method === "GET" || c.req.method === "HEAD" || !JSON_MEDIA_TYPE.test(mediaType)) return generic(c, next);
    const declared = Number(c.req.header("content-length") ?? 0);
    if (declared > maxBytes) return tooLarge(c);
    const body = await readCapped(incoming, maxBytes);
    if (!body) return tooLarge(c);
    // Hono's json() and text() read this cache first; its type says string, its readers await it.
    c.req.bodyCache.text = Promise.resolve(body.toString("utf8")) as unknown as string;
    await next();
  };
}
