import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIDELITY_NOTICE, noticeHtml, noticeParagraphs } from "./fidelity-notice.js";
import { makeOfd } from "./make-ofd.js";
import { makePdf } from "./make-pdf.js";

/** One way an office or a browser makes the notice's file; `make` writes it in `dir` and returns its bytes. */
export interface Producer {
  id: string;
  /** The file name it is uploaded as. */
  fileName: string;
  /** The program it needs, when it needs one: the producer is skipped (or fails under CI) without it. */
  program?: "chromium" | "soffice";
  make(dir: string): Promise<Uint8Array>;
}

export const hasProgram = (program: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** Chromium's 打印 → 另存为PDF, as staff keep a notice from a web page (with the browser's own header and footer). */
function chromiumPdf(dir: string, columns: 1 | 2): Uint8Array {
  const html = join(dir, `notice-${columns}.html`);
  const pdf = join(dir, `notice-chromium-${columns}.pdf`);
  writeFileSync(html, noticeHtml({ columns }));
  execFileSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", `--print-to-pdf=${pdf}`, html], { stdio: "ignore", timeout: 60_000 });
  return readFileSync(pdf);
}

/** LibreOffice Writer converting the notice (two columns, justified) to `format`, run with a profile of its own in `dir`. */
function libreOffice(dir: string, format: "pdf" | "docx"): Uint8Array {
  const source = join(dir, "notice-two-columns.fodt");
  if (!existsSync(source)) writeFileSync(source, noticeFodt());
  const out = join(dir, format);
  execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "lo-profile")}`, "--headless", "--convert-to", format, "--outdir", out, source], {
    stdio: "ignore",
    timeout: 120_000,
  });
  return readFileSync(join(out, `notice-two-columns.${format}`));
}

/** The notice's lines for pdfkit and OFD: one paragraph a line, wrapped at `width` characters, a table row its cells apart (tabs). */
export function noticeLines(width = 38): string[][] {
  const pages: string[][] = [[]];
  for (const paragraph of noticeParagraphs()) {
    if (paragraph.kind === "annex") pages.push([]);
    const page = pages.at(-1)!;
    if (paragraph.kind === "table") {
      page.push(...paragraph.rows.map((row) => row.join("\t")));
      continue;
    }
    // Wrapped as a typesetter would: never inside a number.
    for (let at = 0; at < paragraph.text.length; ) {
      let end = Math.min(paragraph.text.length, at + width);
      while (end < paragraph.text.length && end > at + 1 && /\d/.test(paragraph.text[end - 1]) && /\d/.test(paragraph.text[end])) end--;
      page.push(paragraph.text.slice(at, end));
      at = end;
    }
  }
  return pages;
}

export const PRODUCERS: Producer[] = [
  { id: "Chromium 打印 一栏", fileName: "通知-浏览器打印.pdf", program: "chromium", make: async (dir) => chromiumPdf(dir, 1) },
  { id: "Chromium 打印 两栏", fileName: "通知-浏览器打印-两栏.pdf", program: "chromium", make: async (dir) => chromiumPdf(dir, 2) },
  { id: "LibreOffice PDF 两栏", fileName: "通知-两栏.pdf", program: "soffice", make: async (dir) => libreOffice(dir, "pdf") },
  { id: "LibreOffice DOCX 两栏", fileName: "通知-两栏.docx", program: "soffice", make: async (dir) => libreOffice(dir, "docx") },
  { id: "pdfkit", fileName: "通知-pdfkit.pdf", make: async () => makePdf(noticeLines(), { header: "吐鲁番市人民政府文件", pageNumbers: true }) },
  { id: "OFD", fileName: "通知.ofd", make: async () => makeOfd(noticeLines()) },
];

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The notice as a flat OpenDocument file: title and 文号 across the page, the body in a two-column section, justified. */
export function noticeFodt(): string {
  const paragraph = (style: string, text: string) => `<text:p text:style-name="${style}">${escapeXml(text)}</text:p>`;
  const paragraphs = noticeParagraphs();
  const annexAt = paragraphs.findIndex((p) => p.kind === "annex");
  const render = (p: (typeof paragraphs)[number]) => {
    if (p.kind === "table") {
      const rows = p.rows.map(
        (row) => `<table:table-row>${row.map((cell) => `<table:table-cell>${paragraph("Cell", cell)}</table:table-cell>`).join("")}</table:table-row>`,
      );
      return `<table:table table:name="分工表"><table:table-column table:number-columns-repeated="${p.rows[0].length}"/>${rows.join("")}</table:table>`;
    }
    const style = { title: "Title", number: "Centre", signature: "Signature", annex: "Annex", "annex-title": "Centre", body: "Body" }[p.kind];
    return paragraph(style, p.text);
  };
  const head = paragraphs.slice(0, 2).map(render).join("");
  const body = paragraphs.slice(2, annexAt).map(render).join("");
  const annex = paragraphs.slice(annexAt).map(render).join("");
  const font = `style:font-name-asian="Noto Serif CJK SC" style:font-name="Noto Serif CJK SC"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'"/></office:font-face-decls>
<office:automatic-styles>
<style:style style:name="Columns" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="0.8cm"/></style:section-properties></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/><style:text-properties ${font} fo:font-size="18pt" style:font-size-asian="18pt"/></style:style>
<style:style style:name="Centre" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.3cm"/><style:text-properties ${font} fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="0.85cm" fo:margin-bottom="0.1cm"/><style:text-properties ${font} fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Signature" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties ${font} fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Annex" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/><style:text-properties ${font} fo:font-size="12pt" style:font-size-asian="12pt"/></style:style>
<style:style style:name="Cell" style:family="paragraph"><style:text-properties ${font} fo:font-size="11pt" style:font-size-asian="11pt"/></style:style>
</office:automatic-styles>
<office:body><office:text>${head}<text:section text:style-name="Columns" text:name="正文">${body}</text:section>${annex}</office:text></office:body>
</office:document>
`;
}

/** The notice's title, 文号 and date, as every producer's file must give them back. */
export const EXPECTED_HEADING = { title: FIDELITY_NOTICE.title, docNumber: FIDELITY_NOTICE.docNumber, date: FIDELITY_NOTICE.date };
