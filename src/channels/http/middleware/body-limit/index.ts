import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

export const MAX_BODY_BYTES = 16 * 1024;

/** 413 naming the limit, before any route reads a body larger than `maxBytes`. */
export function limitBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = maxBytes % 1024 === 0 ? `${maxBytes / 1024} KB` : `${maxBytes} bytes`;
  return bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: `body: request body is larger than ${limit}`, field: "body" }, 413) });
}
