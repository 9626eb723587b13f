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
  return keptLines(pages).map(([from, to], i) => pages[i].slice(from, to));
}

/** The lines of each page removeRunningLines keeps, as [from, to): only a page's first and last lines are ever dropped. */
export function keptLines(pages: string[][]): Array<[number, number]> {
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
  const pageNumber = (line: string) => PAGE_NUMBER.test(line) || OCR_PAGE_NUMBER.test(line);
  return pages.map((lines) => {
    let from = 0;
    let to = lines.length;
    while (from < to && (pageNumber(lines[from]) || tops.has(shape(lines[from])))) from++;
    while (to > from && (pageNumber(lines[to - 1]) || bottoms.has(shape(lines[to - 1])))) to--;
    return [from, to];
  });
}
