import type { MiddlewareHandler } from "hono";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * 415 for a write that is not JSON. A browser sends text/plain and form posts cross-site without a
 * CORS preflight; a JSON content type forces one, so another site cannot rate or ask in a visitor's name.
 */
export function requireJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    if (WITH_BODY.has(c.req.method)) {
      const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim();
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        return c.json({ error: `body: send Content-Type: application/json (got ${mediaType || "none"})`, field: "body" }, 415);
      }
    }
    await next();
  };
}
