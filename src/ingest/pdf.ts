import { getDocumentProxy } from "unpdf";
import { IngestError } from "./errors.js";
import { laidOutLines, type PositionedText } from "./page-lines.js";
import { type MeasuredPage, withoutRunningLines } from "./source-layout.js";

/** Fewer characters than this per page on average: the pages are images, the PDF needs OCR. */
export const MIN_TEXT_PER_PAGE = 20;

/** Points per millimetre, for page sizes in a message. */
const MM = 72 / 25.4;

export interface PdfBounds {
  /** The file's name, for messages. */
  name: string;
  maxPages: number;
  /** Square points. */
  maxPageArea: number;
}

/**
 * The text layer of a PDF, page by page, in reading order (page-lines.ts:
 * lines top to bottom, two columns read column by column, a table's cells
 * kept apart).
 * The page count is checked before any page is read and each page's size
 * before its text (or, for a scan, before pdftoppm renders it at 200 dpi); a
 * file pdf.js cannot open is refused naming the file. `measured` gives each
 * page's size and where its lines are, in user-space points.
 */
export async function readPdfText(bytes: Uint8Array, bounds: PdfBounds): Promise<{ pages: string[][]; characters: number; measured: MeasuredPage[] }> {
  const { name } = bounds;
  const declared = declaredPageCount(bytes);
  if (declared > bounds.maxPages) throw tooManyPages(name, declared, bounds.maxPages);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    throw new IngestError("UNREADABLE", `${name}：PDF 文件已损坏或不完整，无法打开（${(error as Error).message}）；请重新导出或另存后再上传`, { cause: error });
  }
  const measured: MeasuredPage[] = [];
  let characters = 0;
  try {
    if (pdf.numPages > bounds.maxPages) throw tooManyPages(name, pdf.numPages, bounds.maxPages);
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number).catch((error: Error) => {
        throw new IngestError("UNREADABLE", `${name}：第 ${number} 页已损坏，无法读取（${error.message}）`, { cause: error });
      });
      const [x0, y0, x1, y1] = page.view;
      const width = Math.abs(x1 - x0);
      const height = Math.abs(y1 - y0);
      if (width * height * page.userUnit ** 2 > bounds.maxPageArea) {
        const mm = (points: number) => Math.round((points * page.userUnit) / MM);
        throw new IngestError("TOO_LARGE", `${name}：第 ${number} 页为 ${mm(width)}×${mm(height)} 毫米，超过 A0（841×1189 毫米）的上限，无法读取`);
      }
      const content = await page.getTextContent();
      const fragments: PositionedText[] = [];
      for (const item of content.items) {
        if (!("str" in item) || !item.str.trim()) continue;
        fragments.push({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height || Math.abs(item.transform[3]) });
        characters += item.str.trim().length;
      }
      // The view box's top-left corner, where the original view measures from (pdf.js turns it to the screen with the page's rotation).
      measured.push({ width, height, left: Math.min(x0, x1), top: Math.max(y0, y1), lines: laidOutLines(fragments) });
      page.cleanup();
    }
  } finally {
    await pdf.cleanup();
    await pdf.loadingTask.destroy();
  }
  return { ...withoutRunningLines(measured), characters };
}

const tooManyPages = (name: string, pages: number, max: number) =>
  new IngestError("TOO_LARGE", `${name}：共 ${pages} 页，超过每个文件 ${max} 页的上限；请拆分后分别上传`);

/** A page tree node's /Count: the /Count of a dictionary that also has /Kids or is /Type /Pages (an outline item's /Count has neither). */
const PAGE_TREE_COUNT = /\/Count\s+(\d+)/g;

/**
 * The page count a PDF's uncompressed page tree declares, read from its bytes
 * in milliseconds: pdf.js takes seconds to open a file of 20,000 pages, which
 * is refused without opening it. 0 when the tree is inside a compressed object
 * stream (pdf.js then counts, still off the main thread).
 */
export function declaredPageCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  let most = 0;
  for (const match of text.matchAll(PAGE_TREE_COUNT)) {
    const around = text.slice(Math.max(0, match.index - 200), match.index + 200);
    if (/\/Kids\s*\[|\/Type\s*\/Pages\b/.test(around)) most = Math.max(most, Number(match[1]));
  }
  return most;
}
