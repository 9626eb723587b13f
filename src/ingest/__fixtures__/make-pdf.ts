import PDFDocument from "pdfkit";

export const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const CJK_FONT_NAME = "NotoSansCJKsc-Regular";

export interface PdfOptions {
  /** A running header on every page, which extraction must drop. */
  header?: string;
  /** Prints "— N —" at the foot of every page, which extraction must drop. */
  pageNumbers?: boolean;
  fontSize?: number;
}

/** A PDF with a text layer, one page per entry of `pages`, each line printed as given (with the Noto CJK font); a line with tabs is a table row, its cells in columns. */
export function makePdf(pages: string[][], options: PdfOptions = {}): Promise<Buffer> {
  const { fontSize = 10 } = options;
  const doc = new PDFDocument({ size: "A4", margins: { top: 50, bottom: 20, left: 50, right: 50 }, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.font(CJK_FONT, CJK_FONT_NAME);
  pages.forEach((lines, i) => {
    doc.addPage();
    doc.font(CJK_FONT, CJK_FONT_NAME).fontSize(fontSize);
    if (options.header) doc.text(options.header, 50, 25, { width: 495, align: "center", lineBreak: false });
    doc.y = 50;
    for (const line of lines) {
      if (!line.includes("\t")) {
        doc.text(line, 50, doc.y, { width: 495 });
        continue;
      }
      // A table's row: each cell at its column, on one baseline.
      const y = doc.y;
      for (const [i, cell] of line.split("\t").entries()) doc.text(cell, 50 + i * 165, y, { width: 160, lineBreak: false });
      doc.y = y + fontSize * 1.6;
    }
    if (options.pageNumbers) doc.text(`— ${i + 1} —`, 50, 800, { width: 495, align: "center", lineBreak: false });
  });
  doc.end();
  return done;
}

/** A scanned page: `image` (PNG) fills an A4 page, with no text layer. */
export function makeImagePdf(image: Buffer): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 0 });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.image(image, 0, 0, { width: 595 });
  doc.end();
  return done;
}
