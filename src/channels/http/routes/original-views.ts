import type { ClauseRect, LaidOutPage } from "../../../ingest/source-layout.js";
import type { Measure, PolicyDocument } from "../../../types.js";

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What every view of a cited clause shows: its document, the pages to move through, and the way to the other view. */
export interface ViewFrame {
  document: PolicyDocument;
  cited: Measure;
  /** The page shown, and the pages there are to move to. */
  page?: number;
  pages: number[];
  /** The query that keeps the reader in this view while moving pages (`view=text`), if any. */
  keep?: string;
  /** The other view's link: [label, href]. */
  other?: [string, string];
  /** A line saying what this view is. */
  note?: string;
}

const pageHref = (cited: Measure, page: number, keep?: string) => `/original/${encodeURIComponent(cited.id)}?${keep ? `${keep}&` : ""}page=${page}`;

function frame({ document, cited, page, pages, keep, other, note }: ViewFrame): { top: string; head: string } {
  const at = page === undefined ? -1 : pages.indexOf(page);
  const link = (to: number | undefined, label: string) =>
    to === undefined ? "<span></span>" : `<a href="${escapeHtml(pageHref(cited, to, keep))}">${label}</a>`;
  const label = page === undefined ? "" : `<span class="meta">第 ${page} 页（共 ${pages.length} 页）</span>`;
  const nav = `<nav>${link(at > 0 ? pages[at - 1] : undefined, "‹ 上一页")}${label}${link(at >= 0 && at < pages.length - 1 ? pages[at + 1] : undefined, "下一页 ›")}</nav>`;
  const about = [
    note ? `<span>${escapeHtml(note)}</span>` : "",
    other ? `<a class="other-view" href="${escapeHtml(other[1])}">${escapeHtml(other[0])}</a>` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return {
    top: `${nav}${about ? `\n<p class="view meta">${about}</p>` : ""}`,
    head: [
      `<h1>${escapeHtml(document.title)}</h1>`,
      `<p class="number meta">${escapeHtml([document.docNumber, document.issuer, document.date].filter(Boolean).join(" · "))}</p>`,
    ].join("\n"),
  };
}

/** The text view: every clause printed on the page, in the document's order, the cited one in <mark>. */
export function textView(view: ViewFrame & { onPage: Measure[] }): string {
  const { top, head } = frame(view);
  const parts = ['<div class="sheet">', head];
  let heading = "";
  for (const measure of view.onPage) {
    // The headings above a clause, once for the clauses under them, as the page prints them.
    const above = measure.path.slice(0, -1).join(" › ");
    const path = above && above !== heading ? `<span class="path">${escapeHtml(above)}</span>` : "";
    heading = above;
    const text = escapeHtml(`${measure.marker} ${measure.text}`.trim());
    parts.push(measure.id === view.cited.id ? `<p class="clause" id="clause">${path}<mark>${text}</mark></p>` : `<p class="clause">${path}${text}</p>`);
  }
  parts.push("</div>");
  return [top, ...parts].join("\n");
}

/** The cited clause in words under a drawn page: what the highlight marks, for a reader who cannot see it. */
function citedCaption(cited: Measure): string {
  const path = cited.path.slice(0, -1).join(" › ");
  return `<figcaption class="cited"><span class="meta">所引条款（黄色标出）${path ? `：${escapeHtml(path)}` : ""}</span>${escapeHtml(`${cited.marker} ${cited.text}`.trim())}</figcaption>`;
}

/**
 * The page of an uploaded PDF as pdf.js draws it (original-viewer.js, loaded under the page's nonce), with the
 * cited clause's lines on this page laid over it: the file, the page and the rectangles travel as data attributes.
 */
export function pdfView(view: ViewFrame & { file: string; rects: ClauseRect[]; pdfjs: string }): string {
  const { top, head } = frame(view);
  const data = { file: view.file, page: String(view.page), rects: JSON.stringify(view.rects), pdfjs: view.pdfjs };
  const attributes = Object.entries(data)
    .map(([name, value]) => `data-${name}="${escapeHtml(value)}"`)
    .join(" ");
  return [
    top,
    `<div class="sheet heading">${head}</div>`,
    `<figure class="original pdf" id="original" ${attributes}>`,
    '<div class="page"><canvas aria-hidden="true"></canvas></div>',
    '<p class="status meta">正在加载原文…</p>',
    '<noscript><p class="status meta">显示原文需要启用脚本；请查看文字版。</p></noscript>',
    citedCaption(view.cited),
    "</figure>",
  ].join("\n");
}

/** A number for an SVG attribute, whatever the stored layout holds. */
const n = (value: unknown) => (Number.isFinite(Number(value)) ? Number(value) : 0);

const OFD_FONTS = `"SimSun","Songti SC","Noto Serif CJK SC","Noto Sans CJK SC",serif`;

/**
 * The page of an uploaded OFD drawn from its text objects as ingest measured them (millimetres from the page's
 * top-left corner): each piece of text at its place and size, stretched to its printed width, and the cited
 * clause's lines highlighted under it. No script: a browser has no OFD renderer, and this needs none.
 */
export function ofdView(view: ViewFrame & { sheet: LaidOutPage; rects: ClauseRect[] }): string {
  const { top, head } = frame(view);
  const { width, height, runs = [] } = view.sheet;
  const marks = view.rects.map(
    (rect, i) =>
      `<rect class="highlight"${i === 0 ? ' id="clause"' : ""} x="${n(rect.x)}" y="${n(rect.y)}" width="${n(rect.width)}" height="${n(rect.height)}"/>`,
  );
  const texts = runs.map((run) => {
    // Stretched to the width it is printed at, so a line ends where the original's does whatever font draws it.
    const fit = [...run.text].length > 1 && n(run.width) > 0 ? ` textLength="${n(run.width)}" lengthAdjust="spacingAndGlyphs"` : "";
    return `<text x="${n(run.x)}" y="${n(run.baseline)}" font-size="${n(run.size)}"${fit}>${escapeHtml(String(run.text))}</text>`;
  });
  return [
    top,
    `<div class="sheet heading">${head}</div>`,
    '<figure class="original ofd" id="original" data-rendered="true">',
    `<div class="page"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-label="原文第 ${view.page} 页" font-family='${OFD_FONTS}'>`,
    `<rect class="paper" width="${n(width)}" height="${n(height)}"/>`,
    ...marks,
    ...texts,
    "</svg></div>",
    citedCaption(view.cited),
    "</figure>",
  ].join("\n");
}
