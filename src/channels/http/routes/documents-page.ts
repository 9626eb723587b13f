import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { HttpEnv } from "../env.js";
import { servePage } from "../middleware/page-headers/index.js";

export const DOCUMENTS_PAGE_PATH = "/staff/documents";

/** The staff page for documents, read when the server starts. */
export function loadDocumentsHtml(): string {
  return readFileSync(new URL("../documents.html", import.meta.url), "utf8");
}

const route = createRoute({
  method: "get",
  path: DOCUMENTS_PAGE_PATH,
  summary: "The staff page for documents: upload, preview, correct, publish, retire, versions (HTML; its API calls need staff)",
  security: [],
  responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
});

/** The page itself holds nothing secret; every call it makes goes through the staff check. Same CSP as the console. */
export function registerDocumentsPage(app: OpenAPIHono<HttpEnv>, { html }: { html: string }): void {
  servePage(app, route, html);
}
