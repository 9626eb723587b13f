/** Text read from a file, page by page, before the policy parser sees it. */
export interface ExtractedText {
  /** Lines of each page, in reading order; one page for formats without pages. */
  pages: string[][];
  /** Something the staff should check (OCR was used, a page had no text …). */
  warnings: string[];
}

/**
 * The shape the parser reads: `# Page N:` before each page's lines, as in the
 * seed, so every measure keeps the pages it is printed on.
 */
export function toPagedText({ pages }: Pick<ExtractedText, "pages">): string {
  return pages.map((lines, i) => `# Page ${i + 1}:\n${lines.join("\n")}`).join("\n\n");
}

const PAGE_NUMBER = /^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－\s]*$/;
/** "— 1 —" as OCR reads it: the dashes become 一. */
const OCR_PAGE_NUMBER = /^一\s*\d{1,4}\s*一$/;

/**
 * Drops running headers and footers: a page number alone at the top or bottom
 * of a page, and a first or last line that repeats (digits aside) on at least
 * half of the pages.
 */
export function removeRunningLines(pages: string[][]): string[][] {
  const shape = (line: string) => line.replace(/\d+/g, "#").replace(/\s+/g, "");
  const repeated = (pick: (lines: string[]) => string | undefined) => {
    const counts = new Map<string, number>();
    for (const lines of pages) {
      const line = pick(lines);
      if (line) counts.set(shape(line), (counts.get(shape(line)) ?? 0) + 1);
    }
    return new Set([...counts].filter(([, n]) => pages.length >= 2 && n >= Math.max(2, pages.length / 2)).map(([s]) => s));
  };
  const tops = repeated((lines) => lines[0]);
  const bottoms = repeated((lines) => lines.at(-1));
  return pages.map((lines) => {
    const kept = [...lines];
    const pageNumber = (line: string) => PAGE_NUMBER.test(line) || OCR_PAGE_NUMBER.test(line);
    while (kept.length && (pageNumber(kept[0]) || tops.has(shape(kept[0])))) kept.shift();
    while (kept.length && (pageNumber(kept.at(-1)!) || bottoms.has(shape(kept.at(-1)!)))) kept.pop();
    return kept;
  });
}
