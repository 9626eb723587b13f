import { createReadStream, readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { OriginalFile } from "../../../documents/document-types.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { Measure, PolicyDocument } from "../../../types.js";
import type { HttpEnv } from "../env.js";
import { pageHeaders } from "../middleware/page-headers/index.js";
import { escapeHtml, ofdView, pdfView, textView, type ViewFrame } from "./original-views.js";
import { pdfjsBase } from "./pdfjs-assets.js";

export function loadOriginalPageHtml(): string {
  return readFileSync(new URL("../original-page.html", import.meta.url), "utf8");
}

/** The address a citation links to: the clause's page of its document, the clause highlighted and scrolled to. */
export const originalHref = (measureId: string, page?: number) => `/original/${encodeURIComponent(measureId)}${page ? `?page=${page}` : ""}#clause`;

/** A published upload's original file, when there is one (the documents service's `original`). */
export type FindOriginal = (document: PolicyDocument, options?: { layout?: boolean }) => Promise<OriginalFile | undefined>;

const VIEWER_PATH = "/assets/original-viewer.js";

/** The formats the original view draws: a PDF by pdf.js in the browser, an OFD from its text objects. */
const FILE_TYPES: Record<string, string> = { pdf: "application/pdf", ofd: "application/ofd" };

const notFound = { content: { "text/html": { schema: z.string() } }, description: "No such clause (deleted, or never published)" };
const routes = {
  page: createRoute({
    method: "get",
    path: "/original/{id}",
    summary:
      "A cited clause in its original (HTML): an uploaded PDF's page drawn by pdf.js, or an OFD's page drawn from its text objects, with the clause's lines highlighted; the text view (every clause of the page, the cited one marked) for the seed, for files without positions (scans, Word, web pages) and with `view=text`. `page` shows another page of the same document",
    security: [],
    request: { params: z.object({ id: z.string() }), query: z.object({ page: z.string().optional(), view: z.string().optional() }) },
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" }, 404: notFound },
  }),
  file: createRoute({
    method: "get",
    path: "/original/{id}/file",
    summary:
      "The file a cited clause was read from, as uploaded (PDF or OFD), while its document is published: the original view's pdf.js reads it, and it downloads as an attachment. `ETag` is its sha256",
    security: [],
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: { content: { "application/pdf": { schema: z.string() }, "application/ofd": { schema: z.string() } }, description: "The original file" },
      304: { description: "Unchanged since the `If-None-Match` given" },
      404: notFound,
    },
  }),
  viewer: createRoute({
    method: "get",
    path: VIEWER_PATH,
    summary: "The original view's script: draws a PDF's page with pdf.js and highlights the cited clause on it",
    security: [],
    responses: { 200: { content: { "text/javascript": { schema: z.string() } }, description: "The script" } },
  }),
};

let viewerScript: string | undefined;
const loadViewer = () => {
  viewerScript ??= readFileSync(new URL("../original-viewer.js", import.meta.url), "utf8");
  return viewerScript;
};

/** The pages a document's clauses are printed on, in order. */
const pagesOf = (measures: Measure[]) => [...new Set(measures.flatMap((m) => m.pages))].sort((a, b) => a - b);

/** The way a file's name goes into Content-Disposition (RFC 6266): ASCII stand-in, the real name percent-encoded. */
const attachment = (name: string, format: string) =>
  `attachment; filename="original.${format}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * A cited clause in its original. An uploaded PDF or OFD whose text layer gave positions at ingest is shown as
 * its page (pdf.js in the browser; an OFD drawn here), the clause's lines highlighted; everything else (the
 * seed, a plain-text compilation with page markers; scans, Word and web pages; uploads read before positions
 * were recorded) as the text view. Either links to the other. Only clauses of the live knowledge base are
 * shown, and only a published upload's file is served: a deleted or unpublished one is a 404.
 */
export function registerOriginalPage(
  app: OpenAPIHono<HttpEnv>,
  { knowledgeBase: current, original, html = loadOriginalPageHtml() }: { knowledgeBase: () => KnowledgeBase; original?: FindOriginal; html?: string },
): void {
  // pdf.js parses the file in a worker of its own, loaded from this server.
  app.use("/original/*", pageHeaders({ workerSrc: ["'self'"] }));
  const page = (c: Context<HttpEnv>, title: string, content: string, script = "", status: 200 | 404 = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(
      html
        .replace("{{TITLE}}", () => escapeHtml(title))
        .replace("{{CONTENT}}", () => content)
        .replace("{{SCRIPT}}", () => script),
      status,
    );
  };
  const missing = (c: Context<HttpEnv>) => page(c, "找不到条款", "<p>这条条款不存在或已被删除。</p>", "", 404);
  const citedClause = (id: string) => {
    const knowledgeBase = current();
    const cited = knowledgeBase.measuresById.get(id);
    const document = cited && knowledgeBase.documentsById.get(cited.documentId);
    return cited && document ? { knowledgeBase, cited, document } : undefined;
  };
  /** An upload's original the original view can draw: a PDF or an OFD, with the cited clause found on its pages. */
  const drawable = async (document: PolicyDocument, cited: Measure) => {
    if (document.version === undefined || !original) return undefined;
    const file = await original(document);
    const rects = file?.layout?.clauses[cited.id] ?? [];
    return file?.layout && FILE_TYPES[file.format] && rects.length ? { file, layout: file.layout, rects } : undefined;
  };

  app.openapi(routes.page, async (c) => {
    const found = citedClause(c.req.valid("param").id);
    if (!found) return missing(c) as never;
    const { knowledgeBase, cited, document } = found;
    const query = c.req.valid("query");
    const asked = Number(query.page);
    const title = `${document.shortTitle || document.title} · 原文`;
    const drawn = await drawable(document, cited);
    const here = (view: "text" | "original", at?: number) =>
      `/original/${encodeURIComponent(cited.id)}?${view === "text" ? "view=text&" : ""}${at ? `page=${at}` : ""}#clause`;

    if (drawn && query.view !== "text") {
      const pages = drawn.layout.pages.map((_, i) => i + 1);
      const at = pages.includes(asked) ? asked : drawn.rects[0].page;
      const rects = drawn.rects.filter((rect) => rect.page === at);
      const view: ViewFrame = { document, cited, page: at, pages, other: ["文字版", here("text", at)] };
      if (drawn.file.format === "ofd") {
        return page(c, title, ofdView({ ...view, note: "原文（OFD 按文字对象位置绘制）", sheet: drawn.layout.pages[at - 1], rects })) as never;
      }
      const nonce = c.get("secureHeadersNonce" as never) ?? "";
      const file = `/original/${encodeURIComponent(cited.id)}/file`;
      return page(
        c,
        title,
        pdfView({ ...view, note: "原文", file, rects, pdfjs: pdfjsBase() }),
        `<script type="module" src="${VIEWER_PATH}" nonce="${escapeHtml(nonce)}"></script>`,
      ) as never;
    }

    const measures = knowledgeBase.corpus.measures.filter((m) => m.documentId === document.id);
    const pages = pagesOf(measures);
    const at = pages.includes(asked) ? asked : cited.pages[0];
    const onPage = at === undefined ? [cited] : measures.filter((m) => m.pages.includes(at));
    const note =
      document.version === undefined
        ? "原文为文字汇编，按页排版显示"
        : drawn
          ? "文字版：从原文件读出的文字，按页排版显示"
          : "原文件未记录条款位置（扫描件、Word 或网页文件，或较早上传的文件），按页排版显示读出的文字";
    const view: ViewFrame = { document, cited, page: at, pages, note, ...(drawn ? { keep: "view=text", other: ["查看原文", here("original", at)] } : {}) };
    return page(c, title, textView({ ...view, onPage })) as never;
  });

  app.openapi(routes.file, async (c) => {
    const found = citedClause(c.req.valid("param").id);
    const file = found && found.document.version !== undefined ? await original?.(found.document, { layout: false }) : undefined;
    const type = file && FILE_TYPES[file.format];
    if (!file || !type) return missing(c) as never;
    const etag = `"${file.sha256}"`;
    const headers = { ETag: etag, "Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff" };
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304, headers) as never;
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream;
    return c.body(body, 200, {
      ...headers,
      "Content-Type": type,
      "Content-Length": String(statSync(file.path).size),
      // Never drawn by the browser on this site's origin: pdf.js reads it, a person downloads it.
      "Content-Disposition": attachment(file.fileName, file.format),
    }) as never;
  });

  app.openapi(routes.viewer, (c) => {
    c.header("Cache-Control", "no-cache");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(loadViewer(), 200, { "Content-Type": "text/javascript; charset=utf-8" }) as never;
  });
}
