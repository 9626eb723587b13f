import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { HttpEnv } from "../env.js";
import { servePage } from "../middleware/page-headers/index.js";

/** The question library's staff page, read when the server starts. */
export function loadLibraryHtml(): string {
  return readFileSync(new URL("../library.html", import.meta.url), "utf8");
}

const route = createRoute({
  method: "get",
  path: "/staff/library",
  summary: "The question library's staff page (HTML): library, 命中测试, unanswered questions to link",
  security: [],
  responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
});

/** The same policy as the console: only its own nonce'd script, no framing; its API calls need the staff token. */
export function registerLibraryPage(app: OpenAPIHono<HttpEnv>, { html }: { html: string }): void {
  servePage(app, route, html);
}
