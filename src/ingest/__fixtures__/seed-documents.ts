import { readFileSync } from "node:fs";
import { parseCompilation } from "../../corpus/parse-compilation.js";
import { readSourceLines, type SourceLine } from "../../corpus/source-lines.js";
import { compact } from "../../corpus/text.js";
import type { Measure, PolicyDocument } from "../../types.js";

export const SEED_FILE = new URL("../../../seeds/000_1a5470b786594f12.txt", import.meta.url).pathname;

/** One of the seed's documents as it would be printed on its own: its title, then its body, page by page as in the seed. */
export interface StandaloneSeedDocument {
  document: PolicyDocument;
  measures: Measure[];
  /** The seed page each page of the standalone document was printed on. */
  seedPages: number[];
  /** Lines per page: the title first, then the 文号 and body lines as the seed prints them. */
  pages: string[][];
}

const DATE_IN_PARENS = /[（(]\d{4}年\d{1,2}月\d{1,2}日[）)]$/;

/** The seed's document `ordinal` (1–5), cut out of the compilation: its ordinal and bracketed date go, as in the issued original. */
export function standaloneSeedDocument(ordinal: number): StandaloneSeedDocument {
  const text = readFileSync(SEED_FILE, "utf8");
  const parsed = parseCompilation(text, "seed.txt");
  const document = parsed.documents.find((d) => d.ordinal === ordinal)!;
  const measures = parsed.measures.filter((m) => m.documentId === document.id);
  const { lines } = readSourceLines(text);
  const headingStart = (n: number) => lines.findIndex((l, i) => compact(l.text).startsWith(`${n}.`) && headingEnd(lines, i) !== undefined);
  const start = headingStart(ordinal);
  const bodyStart = headingEnd(lines, start)! + 1;
  const next = headingStart(ordinal + 1);
  // A section line （五）新疆 before the next document belongs to neither.
  const stop = next < 0 ? lines.length : /^（[一二三四五六七八九十]+）.{2,10}$/.test(compact(lines[next - 1].text)) ? next - 1 : next;
  const title: SourceLine = { text: document.title, page: lines[start].page };
  const body = [title, ...lines.slice(bodyStart, stop)];
  const seedPages = [...new Set(body.map((l) => l.page))];
  return { document, measures, seedPages, pages: seedPages.map((page) => body.filter((l) => l.page === page).map((l) => l.text)) };
}

function headingEnd(lines: SourceLine[], at: number): number | undefined {
  let joined = "";
  for (let end = at; end < Math.min(lines.length, at + 6); end++) {
    joined += compact(lines[end].text);
    if (DATE_IN_PARENS.test(joined)) return end;
    if (/[。；]/.test(joined)) return undefined;
  }
  return undefined;
}
