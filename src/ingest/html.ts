import { type CheerioAPI, load } from "cheerio";
import type { AnyNode, Element } from "domhandler";

/** Site furniture, never part of a notice's text. */
const FURNITURE = "script, style, noscript, template, iframe, form, nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo]";
const FURNITURE_NAMES = /(^|[\s_-])(nav|navbar|menu|breadcrumb|crumb|header|footer|sidebar|share|toolbar|login|search|copyright|related|pagination)([\s_-]|$)/i;
/** Where Chinese government sites (TRS, 政府网站集约化平台) put the article body. */
const BODY_SELECTORS = [
  "#zoom",
  ".TRS_Editor",
  ".trs_editor_view",
  "#UCAP-CONTENT",
  ".pages_content",
  ".article-content",
  ".article_content",
  "article",
  "#content",
  ".content",
  "main",
];
const BLOCKS = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ul",
  "ol",
  "table",
  "tbody",
  "thead",
  "blockquote",
  "pre",
  "center",
  "dd",
  "dt",
  "dl",
]);
const HAN = /[\u4e00-\u9fff]/g;

const hanCount = (text: string) => text.match(HAN)?.length ?? 0;

export interface HtmlText {
  title?: string;
  /** Lines of each page: an `<hr>` marks a page break when `pageBreaks` is set (mammoth's rendering of a Word page break). */
  pages: string[][];
}

/**
 * The article of a web page as lines: the title, then the body's paragraphs;
 * a table row becomes one line with its cells separated by " | ". Menus,
 * headers, footers and sidebars are left out.
 */
export function readHtmlText(html: string, { pageBreaks = false }: { pageBreaks?: boolean } = {}): HtmlText {
  const $ = load(html);
  $(FURNITURE).remove();
  $("[class], [id]").each((_, element) => {
    const names = `${$(element).attr("class") ?? ""} ${$(element).attr("id") ?? ""}`;
    if (FURNITURE_NAMES.test(names) && !BODY_SELECTORS.some((s) => $(element).is(s))) $(element).remove();
  });
  const title = titleOf($);
  const body = articleBody($);
  const pages: string[][] = [[]];
  let line = "";
  const flush = () => {
    const text = line.replace(/\s+/g, " ").trim();
    if (text) pages.at(-1)!.push(text);
    line = "";
  };
  const walk = (node: AnyNode) => {
    if (node.type === "text") {
      line += (node as unknown as { data: string }).data;
      return;
    }
    if (node.type !== "tag") return;
    const element = node as Element;
    const name = element.name.toLowerCase();
    if (name === "br") return flush();
    if (name === "hr") {
      flush();
      if (pageBreaks) pages.push([]);
      return;
    }
    if (name === "tr") {
      flush();
      line = $(element)
        .children("td, th")
        .map((_, cell) => $(cell).text().replace(/\s+/g, " ").trim())
        .get()
        .filter(Boolean)
        .join(" | ");
      return flush();
    }
    const block = BLOCKS.has(name);
    if (block) flush();
    for (const child of element.children) walk(child);
    if (block) flush();
  };
  for (const child of body.children) walk(child);
  flush();
  const first = pages[0];
  // A page whose body leaves out its title (it sits in an <h1> above the body) gets it back as the first line.
  if (title && !pages.some((lines) => lines.slice(0, 5).some((l) => l.replace(/\s/g, "").includes(title.replace(/\s/g, ""))))) first.unshift(title);
  return { title, pages: pages.filter((lines, i) => lines.length || i === 0) };
}

function titleOf($: CheerioAPI): string | undefined {
  const meta = $('meta[name="ArticleTitle"]').attr("content")?.trim();
  if (meta) return meta;
  const heading = $("h1").first().text().replace(/\s+/g, " ").trim();
  if (heading && hanCount(heading) >= 4) return heading;
  // "关于…的通知_某某市人民政府" → the part before the site's name.
  const title = $("title")
    .text()
    .split(/[_|｜]| - /)[0]
    ?.trim();
  return title || undefined;
}

/** The element holding the article: a known body container, else the one whose own paragraphs hold the most Chinese text. */
function articleBody($: CheerioAPI): Element {
  for (const selector of BODY_SELECTORS) {
    const found = $(selector)
      .filter((_, element) => hanCount($(element).text()) >= 50)
      .first();
    if (found.length) return found.get(0) as Element;
  }
  let best: Element | undefined;
  let bestScore = 0;
  $("div, section, td, body").each((_, element) => {
    const own = $(element)
      .children("p, span, font, table, h1, h2, h3, h4, br")
      .map((_, child) => $(child).text())
      .get()
      .join("");
    const score = hanCount(own);
    if (score > bestScore) {
      bestScore = score;
      best = element as Element;
    }
  });
  return best ?? ($("body").get(0) as Element) ?? ($.root().get(0) as unknown as Element);
}

/** Decodes a page in the charset it declares (many government sites still serve GB2312/GBK). */
export function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const charset = head.match(/charset\s*=\s*["']?([\w-]+)/i)?.[1]?.toLowerCase();
  if (charset && /^(gb2312|gbk|gb18030)$/.test(charset)) return new TextDecoder("gb18030").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes);
}
