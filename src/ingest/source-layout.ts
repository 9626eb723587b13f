import { toWrittenForms } from "../corpus/written-forms.js";
import type { Measure } from "../types.js";
import type { PageLine } from "./page-lines.js";
import { keptLines } from "./text-layout.js";

/** A rectangle on a page in the page's own unit (PDF: user-space points; OFD: millimetres), measured from the page's top-left corner. */
export interface PageRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One line of a clause where its page draws it (pages from 1). */
export interface ClauseRect extends PageRect {
  page: number;
}

/** A piece of text drawn at a place: its baseline and left end from the page's top-left corner, its width and size. */
export interface DrawnRun {
  text: string;
  x: number;
  baseline: number;
  width: number;
  size: number;
}

export interface LaidOutPage {
  width: number;
  height: number;
  /** For a format a browser cannot draw itself (OFD): every piece of text on the page, running lines too, to draw it from. */
  runs?: DrawnRun[];
}

/**
 * Where the clauses of an uploaded file are on its pages, read from the text
 * layer's positions at ingest, so the original view can highlight a cited
 * clause on the page itself. Absent for files without positions (OCR, Word,
 * web pages) and for uploads read before it was recorded.
 */
export interface SourceLayout {
  unit: "pt" | "mm";
  pages: LaidOutPage[];
  /** Measure id → the rectangles of the lines it spans, in reading order; a clause not found on the pages has none. */
  clauses: Record<string, ClauseRect[]>;
}

/**
 * A page as a text-layer reader measured it: its size, where its top-left
 * corner is in the fragments' coordinates (y up), and its lines in reading
 * order. `drawn` keeps every line, running headers and page numbers too, for
 * a format whose page is drawn from its text.
 */
export interface MeasuredPage {
  width: number;
  height: number;
  left: number;
  top: number;
  lines: PageLine[];
  drawn?: PageLine[];
}

/** Pages' lines with the running lines removeRunningLines drops taken out of both the text and the measured lines, so the two stay line for line. */
export function withoutRunningLines(measured: MeasuredPage[]): { pages: string[][]; measured: MeasuredPage[] } {
  const texts = measured.map((page) => page.lines.map((line) => line.text));
  const kept = keptLines(texts);
  return {
    pages: texts.map((lines, i) => lines.slice(...kept[i])),
    measured: measured.map((page, i) => ({ ...page, lines: page.lines.slice(...kept[i]) })),
  };
}

/** Hundredths of the unit: finer than any highlight needs, and short in JSON. */
const round = (value: number) => Math.round(value * 100) / 100;

/** Text as the parser compares it: written forms, no white space, no table cell bars. */
const squeeze = (text: string) => toWrittenForms(text).replace(/[\s|]+/g, "");

/** Characters at each end of a clause that find it when the whole does not (a line the parser read differently inside it). */
const ENDS = 12;

/**
 * The layout of a file read from a text layer: its pages, and for each
 * measure the lines it spans. Measures are found in order in the pages' text
 * (the parser keeps every line of a clause, so its text runs on in the
 * lines), each after the one before, so a sentence that repeats is placed
 * where its clause is. Undefined when no clause was found at all.
 */
export function sourceLayout(measured: MeasuredPage[], measures: Measure[], unit: SourceLayout["unit"]): SourceLayout | undefined {
  const lines = measured.flatMap((page, p) => page.lines.map((line) => ({ line, page: p + 1, squeezed: squeeze(line.text) })));
  const starts: number[] = [];
  let stream = "";
  for (const line of lines) {
    starts.push(stream.length);
    stream += line.squeezed;
  }
  const rectOf = (line: PageLine, page: number): ClauseRect => {
    const { left, top } = measured[page - 1];
    return {
      page,
      x: round(line.left - left),
      y: round(top - line.top),
      width: round(line.right - line.left),
      height: round(line.top - line.bottom),
    };
  };
  const clauses: SourceLayout["clauses"] = {};
  let cursor = 0;
  for (const measure of measures) {
    const found = find(stream, squeeze(measure.text), cursor);
    if (!found) continue;
    cursor = found.end;
    const rects: ClauseRect[] = [];
    for (let i = lineAt(starts, found.start); i < lines.length && starts[i] < found.end; i++) {
      if (lines[i].squeezed) rects.push(rectOf(lines[i].line, lines[i].page));
    }
    clauses[measure.id] = rects;
  }
  if (!Object.keys(clauses).length) return undefined;
  return {
    unit,
    pages: measured.map((page) => ({
      width: round(page.width),
      height: round(page.height),
      ...(page.drawn ? { runs: page.drawn.flatMap((line) => line.runs.map((run) => drawnRun(run, page))) } : {}),
    })),
    clauses,
  };
}

function drawnRun(run: PageLine["runs"][number], page: MeasuredPage): DrawnRun {
  return { text: run.text, x: round(run.x - page.left), baseline: round(page.top - run.y), width: round(run.width), size: round(run.size) };
}

/** The line the stream's character `at` is on: the last whose start is at or before it. */
function lineAt(starts: number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (starts[middle] <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Where `text` is in `stream` from `from`: whole, or from its first characters to its last when the middle differs. */
function find(stream: string, text: string, from: number): { start: number; end: number } | undefined {
  if (!text) return undefined;
  const whole = stream.indexOf(text, from);
  if (whole >= 0) return { start: whole, end: whole + text.length };
  if (text.length < ENDS * 2) return undefined;
  const start = stream.indexOf(text.slice(0, ENDS), from);
  if (start < 0) return undefined;
  const last = stream.indexOf(text.slice(-ENDS), start + ENDS);
  const end = last + ENDS;
  // The two ends must be about as far apart as the clause is long, or they belong to different places.
  if (last < 0 || end - start < text.length * 0.8 || end - start > text.length * 1.25) return undefined;
  return { start, end };
}
