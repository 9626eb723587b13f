import type { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { HttpEnv } from "../../env.js";
import { renderPage } from "./layout.js";

/**
 * Every HTML page may run only its own script (a per-response nonce) and may
 * not be framed, so an injected tag or a clickjacking page cannot act with the
 * staff member's token. A page that starts a worker of this server's (pdf.js
 * parsing a file) names it with `workerSrc`; without it a page starts none.
 */
export const pageHeaders = ({ workerSrc }: { workerSrc?: string[] } = {}) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: [NONCE],
      ...(workerSrc ? { workerSrc } : {}),
      styleSrc: ["'self'", "'unsafe-inline'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
  });

/** Serves one HTML page at its route with those headers, the shared head and header and its {{NONCE}} filled per response. */
export function servePage(app: OpenAPIHono<HttpEnv>, route: ReturnType<typeof createRoute> & { path: string }, html: string): void {
  app.use(route.path, pageHeaders());
  app.openapi(route, (c) => c.html(renderPage(html, c, c.get("secureHeadersNonce" as never) ?? ""), 200));
}
