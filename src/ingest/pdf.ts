import { getDocumentProxy } from "unpdf";
import { removeRunningLines } from "./text-layout.js";

interface PositionedText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fewer characters than this per page on average: the pages are images, the PDF needs OCR. */
export const MIN_TEXT_PER_PAGE = 20;

/**
 * The text layer of a PDF, page by page, in reading order: fragments on one
 * baseline make a line (left to right), lines run top to bottom. One column
 * only: a two-column layout comes out with its columns' lines interleaved.
 */
export async function readPdfText(bytes: Uint8Array): Promise<{ pages: string[][]; characters: number }> {
  // pdf.js takes ownership of the buffer it is given.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const pages: string[][] = [];
  let characters = 0;
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const fragments: PositionedText[] = [];
      for (const item of content.items) {
        if (!("str" in item) || !item.str.trim()) continue;
        fragments.push({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height || Math.abs(item.transform[3]) });
        characters += item.str.trim().length;
      }
      pages.push(linesOf(fragments));
      page.cleanup();
    }
  } finally {
    await pdf.cleanup();
  }
  return { pages: removeRunningLines(pages), characters };
}

function linesOf(fragments: PositionedText[]): string[] {
  const rows: PositionedText[][] = [];
  for (const fragment of [...fragments].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.at(-1);
    const tolerance = Math.max(2, (row?.[0].height ?? fragment.height) * 0.5);
    if (row && Math.abs(row[0].y - fragment.y) <= tolerance) row.push(fragment);
    else rows.push([fragment]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let line = "";
    let end = Number.NEGATIVE_INFINITY;
    for (const fragment of row) {
      // A visible gap between two fragments (a table's columns) keeps a space.
      const gap = fragment.x - end > fragment.height * 0.8 && line ? " " : "";
      line += gap + fragment.text;
      end = fragment.x + fragment.width;
    }
    return line.trim();
  });
}
