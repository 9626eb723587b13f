import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { MAX_QUESTION_CHARS } from "../../../core/ask.js";
import type { HttpEnv } from "../env.js";
import { withLabels } from "../log-labels.js";
import { servePage } from "../middleware/page-headers/index.js";

/** The console page, read when the server starts (not at import) with the question limit and the Chinese names of channels filled in. */
export function loadConsoleHtml(): string {
  return withLabels(readFileSync(new URL("../console.html", import.meta.url), "utf8").replaceAll("{{MAX_QUESTION_CHARS}}", String(MAX_QUESTION_CHARS)));
}

const route = createRoute({
  method: "get",
  path: "/",
  summary: "The hotline staff console (HTML)",
  security: [],
  responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The console" } },
});

/**
 * The console may run only its own script (a per-response nonce) and may not be framed, so an injected
 * tag or a clickjacking page cannot act with the staff member's token.
 */
export function registerConsoleRoute(app: OpenAPIHono<HttpEnv>, { html }: { html: string }): void {
  servePage(app, route, html);
}
