export interface SourceLine {
  text: string;
  page: number;
}

const PAGE_MARKER = /^#\s*Page\s+(\d+)\s*:?\s*$/i;

/**
 * Reads PDF-extracted text into content lines with their page numbers.
 * Page markers and blank lines carry no text of their own.
 */
export function readSourceLines(text: string): { lines: SourceLine[] } {
  const lines: SourceLine[] = [];
  let page = 0;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const pageMatch = raw.trim().match(PAGE_MARKER);
    if (pageMatch) {
      page = Number(pageMatch[1]);
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed) lines.push({ text: trimmed, page });
  }
  return { lines };
}

export function pagesOf(lines: SourceLine[]): number[] {
  return [...new Set(lines.map((line) => line.page).filter((page) => page > 0))].sort((a, b) => a - b);
}
