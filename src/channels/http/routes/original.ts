import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { Measure, PolicyDocument } from "../../../types.js";
import type { HttpEnv } from "../env.js";
import { pageHeaders } from "../middleware/page-headers/index.js";

export function loadOriginalPageHtml(): string {
  return readFileSync(new URL("../original-page.html", import.meta.url), "utf8");
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The address a citation links to: the clause's page of its document, the clause highlighted and scrolled to. */
export const originalHref = (measureId: string, page?: number) => `/original/${encodeURIComponent(measureId)}${page ? `?page=${page}` : ""}#clause`;

const route = createRoute({
  method: "get",
  path: "/original/{id}",
  summary: "A cited clause on its page of the original document, highlighted (HTML; `?page=` another page of the same document)",
  security: [],
  request: { params: z.object({ id: z.string() }), query: z.object({ page: z.string().optional() }) },
  responses: {
    200: { content: { "text/html": { schema: z.string() } }, description: "The page" },
    404: { content: { "text/html": { schema: z.string() } }, description: "No such clause (deleted, or never published)" },
  },
});

/** The pages a document's clauses are printed on, in order. */
const pagesOf = (measures: Measure[]) => [...new Set(measures.flatMap((m) => m.pages))].sort((a, b) => a - b);

function renderPage(document: PolicyDocument, cited: Measure, onPage: Measure[], page: number | undefined, pages: number[]): string {
  const parts = [
    '<div class="sheet">',
    `<h1>${escapeHtml(document.title)}</h1>`,
    `<p class="number meta">${escapeHtml([document.docNumber, document.issuer, document.date].filter(Boolean).join(" · "))}</p>`,
  ];
  let heading = "";
  for (const measure of onPage) {
    // The headings above a clause, once for the clauses under them, as the page prints them.
    const above = measure.path.slice(0, -1).join(" › ");
    const path = above && above !== heading ? `<span class="path">${escapeHtml(above)}</span>` : "";
    heading = above;
    const text = escapeHtml(`${measure.marker} ${measure.text}`.trim());
    parts.push(measure.id === cited.id ? `<p class="clause" id="clause">${path}<mark>${text}</mark></p>` : `<p class="clause">${path}${text}</p>`);
  }
  parts.push("</div>");
  const at = page === undefined ? -1 : pages.indexOf(page);
  const link = (to: number | undefined, label: string) =>
    to === undefined ? "<span></span>" : `<a href="/original/${encodeURIComponent(cited.id)}?page=${to}">${label}</a>`;
  const label = page === undefined ? "" : `<span class="meta">第 ${page} 页（共 ${pages.length} 页）</span>`;
  return [
    `<nav>${link(at > 0 ? pages[at - 1] : undefined, "‹ 上一页")}${label}${link(at >= 0 && at < pages.length - 1 ? pages[at + 1] : undefined, "下一页 ›")}</nav>`,
    ...parts,
  ].join("\n");
}

/**
 * A cited clause in its original: the page it is printed on (`?page=` another page of the same document), every
 * clause of that page in the document's order and the cited one highlighted, for the seed and uploads alike
 * (both keep each clause's pages). A plain page with no script, like /a/:id: the clause is public once published.
 */
export function registerOriginalPage(
  app: OpenAPIHono<HttpEnv>,
  { knowledgeBase: current, html = loadOriginalPageHtml() }: { knowledgeBase: () => KnowledgeBase; html?: string },
): void {
  app.use("/original/*", pageHeaders());
  app.openapi(route, (c) => {
    const knowledgeBase = current();
    const cited = knowledgeBase.measuresById.get(c.req.valid("param").id);
    const document = cited && knowledgeBase.documentsById.get(cited.documentId);
    c.header("Cache-Control", "no-store");
    if (!cited || !document)
      return c.html(
        html.replace("{{TITLE}}", () => "找不到条款").replace("{{CONTENT}}", () => "<p>这条条款不存在或已被删除。</p>"),
        404,
      );
    const measures = knowledgeBase.corpus.measures.filter((m) => m.documentId === document.id);
    const pages = pagesOf(measures);
    const asked = Number(c.req.valid("query").page);
    const page = pages.includes(asked) ? asked : cited.pages[0];
    const onPage = page === undefined ? [cited] : measures.filter((m) => m.pages.includes(page));
    return c.html(
      html
        .replace("{{TITLE}}", () => escapeHtml(`${document.shortTitle || document.title} · 原文`))
        .replace("{{CONTENT}}", () => renderPage(document, cited, onPage, page, pages)),
      200,
    );
  });
}
