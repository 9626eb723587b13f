import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, silentLogger, temporaryDirectory } from "../../../../test/helpers.js";
import type { PublishedSnapshot } from "../../../corpus/published-corpus.js";
import { createDocumentsService, type DocumentsService } from "../../../documents/documents-service.js";
import { documentsMigrations } from "../../../documents/documents-table.js";
import { noticeLines } from "../../../ingest/__fixtures__/fidelity-producers.js";
import { makeOfd } from "../../../ingest/__fixtures__/make-ofd.js";
import { makePdf } from "../../../ingest/__fixtures__/make-pdf.js";
import { regulationPages } from "../../../ingest/__fixtures__/regulation.js";
import type { ClauseRect } from "../../../ingest/source-layout.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { auditMigrations } from "../../../store/audit.js";
import { openStaffDatabase } from "../../../store/database.js";
import type { Measure } from "../../../types.js";
import { testApp } from "../__fixtures__/test-app.js";
import { originalHref } from "./original.js";
import { pdfjsBase } from "./pdfjs-assets.js";

let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

const page = async (path: string) => {
  const response = await testApp({ knowledgeBase }).app.request(path);
  return { status: response.status, html: await response.text(), csp: response.headers.get("content-security-policy") ?? "" };
};

/** A seed clause printed on one page that shares its page with other clauses. */
function clauseSharingItsPage(): Measure {
  return knowledgeBase.corpus.measures.find(
    (m) => m.pages.length === 1 && knowledgeBase.corpus.measures.some((o) => o.id !== m.id && o.documentId === m.documentId && o.pages.includes(m.pages[0])),
  )!;
}

describe("GET /original/:id: a cited clause on its page of the original", () => {
  it("shows the seed page's clauses in order with the cited one highlighted, and the document's 文号", async () => {
    const cited = clauseSharingItsPage();
    const document = knowledgeBase.documentsById.get(cited.documentId)!;
    const { status, html, csp } = await page(originalHref(cited.id, cited.pages[0]).replace("#clause", ""));
    expect(status).toBe(200);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toContain("<script");
    expect(html).toContain("原文为文字汇编，按页排版显示");
    expect(html).toContain(`第 ${cited.pages[0]} 页`);
    if (document.docNumber) expect(html).toContain(document.docNumber);
    const highlighted = html.match(/<p class="clause" id="clause">.*?<mark>([\s\S]*?)<\/mark>/)?.[1] ?? "";
    expect(highlighted).toContain(cited.text.slice(0, 30));
    expect(html.match(/<mark>/g)).toHaveLength(1);
    // Every other clause of the page is there, in the document's order.
    const onPage = knowledgeBase.corpus.measures.filter((m) => m.documentId === cited.documentId && m.pages.includes(cited.pages[0]));
    const at = onPage.map((m) => html.indexOf(m.text.slice(0, 20).replace(/&/g, "&#38;")));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("goes to the document's other pages, the cited clause kept for the way back", async () => {
    const cited = clauseSharingItsPage();
    const { html } = await page(`/original/${encodeURIComponent(cited.id)}?page=${cited.pages[0]}`);
    const next = html.match(/href="(\/original\/[^"]+\?page=(\d+))">下一页/);
    if (!next) return;
    const other = await page(next[1]);
    expect(other.html).toContain(`第 ${next[2]} 页`);
    expect(other.html).toContain(`href="/original/${encodeURIComponent(cited.id)}?page=${cited.pages[0]}">‹ 上一页`);
  });

  it("says in Chinese that a clause is gone (404), and escapes what it shows", async () => {
    const missing = await page("/original/no-such-clause");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("这条条款不存在或已被删除");
    expect((await page("/original/%3Cscript%3E")).html).not.toContain("<script>");
  });
});

/** Enough of a knowledge base for the original view: the published uploads' documents and measures, by id. */
function knowledgeBaseOf(snapshot: PublishedSnapshot): KnowledgeBase {
  return {
    corpus: { documents: snapshot.documents, measures: snapshot.measures },
    measuresById: new Map(snapshot.measures.map((m) => [m.id, m])),
    documentsById: new Map(snapshot.documents.map((d) => [d.id, d])),
  } as unknown as KnowledgeBase;
}

describe("GET /original/:id for uploads: the original file's page with the clause highlighted", () => {
  let documents: DocumentsService;
  let live: KnowledgeBase = knowledgeBaseOf({ documents: [], measures: [] });
  let app: ReturnType<typeof testApp>["app"];
  let pdf: Uint8Array;
  let ofd: Uint8Array;
  const uploaded: Record<"pdf" | "ofd", { id: string; measures: Measure[] }> = {} as never;

  beforeAll(async () => {
    const db = await openStaffDatabase(new Database(":memory:"), { ...auditMigrations, ...documentsMigrations });
    documents = createDocumentsService({
      // biome-ignore lint/suspicious/noExplicitAny: the schema-typed handle
      db: db as any,
      documentsDir: temporaryDirectory(),
      logger: silentLogger,
      background: false,
      publish: async (snapshot) => {
        live = knowledgeBaseOf(snapshot);
        return live;
      },
    });
    ({ app } = testApp({ documents, knowledgeBase: () => live }));
    pdf = new Uint8Array(await makePdf(noticeLines()));
    ofd = new Uint8Array(makeOfd(regulationPages()));
    for (const [kind, name, bytes] of [
      ["pdf", "通知.pdf", pdf],
      ["ofd", "办法.ofd", ofd],
    ] as const) {
      const [preview] = await documents.upload([{ name, bytes }], "staff");
      await documents.publish(preview.id, "staff");
      uploaded[kind] = { id: preview.id, measures: (await documents.preview(preview.id)).measureList };
    }
  });
  afterAll(() => documents.stop());

  const get = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    return { response, status: response.status, html: await response.clone().text(), csp: response.headers.get("content-security-policy") ?? "" };
  };
  const layoutOf = async (kind: "pdf" | "ofd") =>
    (await documents.original({ id: `${uploaded[kind].id}-1`, sourceFile: `${uploaded[kind].id}.${kind}` }))!.layout!;
  const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

  it("PDF: the page the clause is on, for pdf.js to draw, with the clause's lines on that page and the viewer under the page's nonce", async () => {
    const cited = uploaded.pdf.measures[2];
    const { status, html, csp } = await get(originalHref(cited.id).replace("#clause", ""));
    expect(status).toBe(200);
    const rects = (await layoutOf("pdf")).clauses[cited.id];
    expect(rects.length).toBeGreaterThanOrEqual(1);
    const figure = html.match(/<figure class="original pdf" id="original" ([^>]*)>/)?.[1] ?? "";
    const data = Object.fromEntries([...figure.matchAll(/data-(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, unescapeHtml(value)]));
    expect(data).toMatchObject({ file: `/original/${cited.id}/file`, page: String(rects[0].page), pdfjs: pdfjsBase() });
    expect(JSON.parse(data.rects) as ClauseRect[]).toEqual(rects.filter((rect) => rect.page === rects[0].page));
    // The one script is the viewer's, under this response's nonce; pdf.js's worker is allowed from this server only.
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(html.match(/<script[^>]*>/g)).toEqual([`<script type="module" src="/assets/original-viewer.js" nonce="${nonce}">`]);
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(html).toContain(`href="/original/${cited.id}?view=text&#38;page=${rects[0].page}#clause">文字版</a>`);
    expect(html).toContain(cited.text.slice(0, 20));
  });

  it("PDF: another page of the file has no highlight, and the text view is one link away and links back", async () => {
    const cited = uploaded.pdf.measures[0];
    const next = await get(`/original/${cited.id}?page=2`);
    expect(next.html).toContain('data-page="2"');
    expect(next.html).toContain('data-rects="[]"');
    expect(next.html).toContain(`href="/original/${cited.id}?page=1">‹ 上一页</a>`);
    const text = await get(`/original/${cited.id}?view=text&page=1`);
    expect(text.html).not.toContain("<script");
    expect(text.html).toContain("文字版：从原文件读出的文字，按页排版显示");
    expect(text.html).toMatch(/<p class="clause" id="clause">.*<mark>/);
    expect(text.html).toContain(`href="/original/${cited.id}?page=1#clause">查看原文</a>`);
    expect(text.html).toContain(`href="/original/${cited.id}?view=text&#38;page=2">下一页 ›</a>`);
  });

  it("serves the published PDF itself as a download, with its sha256 as ETag (304 when unchanged), and never draws it on this site", async () => {
    const cited = uploaded.pdf.measures[0];
    const { response, status } = await get(`/original/${cited.id}/file`);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="original.pdf"; filename*=UTF-8''${encodeURIComponent("通知.pdf")}`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    const etag = response.headers.get("etag")!;
    expect((await get(`/original/${cited.id}/file`, { headers: { "If-None-Match": etag } })).status).toBe(304);
    const ofdFile = await get(`/original/${uploaded.ofd.measures[0].id}/file`);
    expect(ofdFile.response.headers.get("content-type")).toBe("application/ofd");
    expect(new Uint8Array(await ofdFile.response.arrayBuffer())).toEqual(ofd);
    // A web page's original is never served: on this site's origin it would run as its author wrote it.
    const page = "<html><body><h1>关于示例的通知</h1><p>一、第一条。</p><p>二、第二条。</p><script>alert(1)</script></body></html>";
    const [html] = await documents.upload([{ name: "通知.html", bytes: new TextEncoder().encode(page) }], "staff");
    await documents.publish(html.id, "staff");
    const [measure] = (await documents.preview(html.id)).measureList;
    expect(live.measuresById.has(measure.id)).toBe(true);
    expect((await get(`/original/${measure.id}/file`)).status).toBe(404);
    expect((await get(`/original/${measure.id}`)).html).toContain("原文件未记录条款位置");
  });

  it("OFD: its page drawn here from its text objects, the clause's lines highlighted under the text, with no script", async () => {
    const cited = uploaded.ofd.measures.find((m) => m.pages[0] === 1 && m.index > 0)!;
    const { status, html } = await get(originalHref(cited.id).replace("#clause", ""));
    expect(status).toBe(200);
    expect(html).not.toContain("<script");
    const layout = await layoutOf("ofd");
    const rects = layout.clauses[cited.id].filter((rect) => rect.page === 1);
    const marks = [...html.matchAll(/<rect class="highlight"( id="clause")? x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"\/>/g)];
    expect(marks.map((m) => ({ page: 1, x: Number(m[2]), y: Number(m[3]), width: Number(m[4]), height: Number(m[5]) }))).toEqual(rects);
    expect(marks[0][1]).toBe(' id="clause"');
    expect(html).toContain('viewBox="0 0 210 297"');
    // Every piece of text on the page is drawn, the page number at its foot too.
    for (const run of layout.pages[0].runs!) expect(html).toContain(`>${run.text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</text>`);
    expect(html).toContain(">- 1 -</text>");
  });

  it("falls back to the text view for an upload read before positions were recorded, and shows nothing of one no longer published", async () => {
    const cited = uploaded.pdf.measures[1];
    const stored = await documents.original(live.documentsById.get(cited.documentId)!);
    // An older upload: the file is there, its layout is not.
    const withoutLayout = testApp({
      knowledgeBase: () => live,
      documents: { ...documents, original: async () => ({ ...stored!, layout: undefined }) } as never,
    }).app;
    const older = await (await withoutLayout.request(`/original/${cited.id}`)).text();
    expect(older).not.toContain("<canvas");
    expect(older).toContain("原文件未记录条款位置");
    expect(older).not.toContain("查看原文");
    expect(older).toMatch(/<p class="clause" id="clause">.*<mark>/);
    // Deleted while a knowledge base still lists it: the text of what was published, never the file.
    const stale = live;
    await documents.remove(uploaded.pdf.id, "staff");
    const staleApp = testApp({ knowledgeBase: () => stale, documents }).app;
    expect(await (await staleApp.request(`/original/${cited.id}`)).text()).not.toContain("<canvas");
    expect((await staleApp.request(`/original/${cited.id}/file`)).status).toBe(404);
    // Gone from the live one: 404 in Chinese for the page and the file alike.
    for (const path of [`/original/${cited.id}`, `/original/${cited.id}/file`]) {
      const gone = await get(path);
      expect(gone.status).toBe(404);
      expect(gone.html).toContain("这条条款不存在或已被删除");
    }
  });

  it("serves pdf.js from node_modules under its version, only the files it ships", async () => {
    const base = pdfjsBase();
    const script = await app.request(`${base}pdf.min.mjs`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await app.request(`${base}pdf.worker.min.mjs`)).status).toBe(200);
    expect((await app.request(`${base}cmaps/UniGB-UCS2-H.bcmap`)).status).toBe(200);
    expect((await app.request(`${base}wasm/openjpeg.wasm`)).headers.get("content-type")).toBe("application/wasm");
    for (const path of [
      "/assets/pdfjs/0.0.0/pdf.min.mjs",
      `${base}package.json`,
      `${base}cmaps/..%2F..%2Fpackage.json`,
      `${base}cmaps/LICENSE`,
      `${base}build/pdf.mjs`,
    ]) {
      expect([400, 404], path).toContain((await app.request(path)).status);
    }
    const viewer = await app.request("/assets/original-viewer.js");
    expect(viewer.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await viewer.text()).toContain("convertToViewportRectangle");
  });
});
