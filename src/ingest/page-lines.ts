/** A run of text at a place on the page (PDF or OFD), in points, y growing upwards. */
export interface PositionedText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line as read, with where it is drawn: its extent in the fragments' units (y up), and its runs apart at a table's cell gaps. */
export interface PageLine {
  text: string;
  left: number;
  right: number;
  /** Below the baseline by a descender, above it by an ascender: the band a reader sees the line in. */
  bottom: number;
  top: number;
  /** The line's pieces between cell gaps, each drawn where it stands (an OFD page is drawn from them). */
  runs: Array<{ text: string; x: number; y: number; width: number; size: number }>;
}

/** Above the baseline an ideograph reaches about 0.88 of its size, below it 0.12; a little more on both sides reads as the line. */
const ASCENT = 0.92;
const DESCENT = 0.2;

interface Row {
  y: number;
  height: number;
  fragments: PositionedText[];
}

/** Narrower than this (in character heights) is a space between words, not a gutter (full-width punctuation may hang into it). */
const MIN_GUTTER = 0.5;
/** A gap this wide (in character heights) inside one line separates a table's cells. */
const CELL_GAP = 1.2;
/** A column's lines are full: half of them reach within this many character heights of the gutter. */
const FULL_LINE_SLACK = 2.5;
/** Each column's typical line spans at least this share of the text's width. */
const MIN_COLUMN_SHARE = 0.3;
/** A page's first or last line this many line spacings away from the next is in the margin. */
const MARGIN_GAP = 2.5;
/** A column needs this many lines on each side of the gutter. */
const MIN_COLUMN_LINES = 3;

/**
 * A page's text in reading order: fragments on one baseline make a line (left
 * to right), lines run top to bottom. When the page is set in two columns (a
 * gutter that full lines of text reach from both sides), each band of
 * two-column lines is read column by column, left then right; lines that
 * cross the gutter (a title, a centred 文号, a signature) stay where they are.
 * A wide gap inside a line separates a table's cells (` | `).
 */
export function pageLines(fragments: PositionedText[]): string[] {
  return laidOutLines(fragments).map((line) => line.text);
}

/** The lines of pageLines, each with where it is drawn on the page. */
export function laidOutLines(fragments: PositionedText[]): PageLine[] {
  const kept = fragments.filter((f) => f.text.trim());
  if (!kept.length) return [];
  const gutter = findGutter(kept);
  if (!gutter) return rowsOf(kept).map(laidOut);
  const lines: PageLine[] = [];
  let band: PositionedText[] = [];
  const flush = () => {
    const left = band.filter((f) => f.x + f.width <= gutter.from + 1);
    const right = band.filter((f) => f.x + f.width > gutter.from + 1);
    lines.push(...rowsOf(left).map(laidOut), ...rowsOf(right).map(laidOut));
    band = [];
  };
  const rows = rowsOf(kept);
  const margins = marginRows(rows);
  for (const row of rows) {
    // A running header or footer set apart in the margin is not column text, even when it does not cross the gutter.
    if (margins.has(row) || row.fragments.some((f) => crosses(f, gutter))) {
      flush();
      lines.push(laidOut(row));
    } else band.push(...row.fragments);
  }
  flush();
  return lines;
}

/** The first and last line of a page when set apart from the rest by more than MARGIN_GAP line spacings (a browser's header and footer). */
function marginRows(rows: Row[]): Set<Row> {
  const margins = new Set<Row>();
  if (rows.length < 4) return margins;
  const spacing = median(rows.slice(1).map((row, i) => rows[i].y - row.y));
  if (rows[0].y - rows[1].y > spacing * MARGIN_GAP) margins.add(rows[0]);
  if (rows.at(-2)!.y - rows.at(-1)!.y > spacing * MARGIN_GAP) margins.add(rows.at(-1)!);
  return margins;
}

const crosses = (f: PositionedText, gutter: { from: number; to: number }) => f.x < gutter.to - 0.5 && f.x + f.width > gutter.from + 0.5;

/**
 * The empty vertical band between two columns, if the page has one: in the
 * middle half of the text's width, crossed by the fewest lines, with at least
 * MIN_COLUMN_LINES lines on each side, most of them full up to the band.
 */
function findGutter(fragments: PositionedText[]): { from: number; to: number } | undefined {
  const left = Math.min(...fragments.map((f) => f.x));
  const right = Math.max(...fragments.map((f) => f.x + f.width));
  const width = right - left;
  const charHeight = median(fragments.map((f) => f.height));
  if (width < charHeight * 20) return undefined;
  // Free x ranges: covered by no fragment at all, or only by the few lines that cross a gutter (a header or footer in the margin aside).
  const all = rowsOf(fragments);
  const margins = marginRows(all);
  const rows = all.filter((row) => !margins.has(row));
  let best: { from: number; to: number; crossing: number } | undefined;
  const step = Math.max(1, charHeight / 4);
  for (let x = left + width * 0.25; x <= left + width * 0.75; x += step) {
    const crossing = rows.filter((row) => row.fragments.some((f) => f.x < x && f.x + f.width > x)).length;
    if (!best || crossing < best.crossing) best = { from: x, to: x, crossing };
    else if (crossing === best.crossing && x - best.to <= step * 1.01) best.to = x;
  }
  if (!best || best.crossing > rows.length * 0.3) return undefined;
  // Widen the band to the nearest text on each side, among the lines that do not cross it.
  const split = rows.filter((row) => !row.fragments.some((f) => f.x < best.from && f.x + f.width > best.from));
  const before = split.flatMap((row) => row.fragments.filter((f) => f.x + f.width <= best.from));
  const after = split.flatMap((row) => row.fragments.filter((f) => f.x >= best.to));
  if (!before.length || !after.length) return undefined;
  const from = Math.max(...before.map((f) => f.x + f.width));
  const to = Math.min(...after.map((f) => f.x));
  if (to - from < charHeight * MIN_GUTTER) return undefined;
  const leftRows = rowsOf(before);
  const rightRows = rowsOf(after);
  if (leftRows.length < MIN_COLUMN_LINES || rightRows.length < MIN_COLUMN_LINES) return undefined;
  // Columns of text share the width about evenly; a table's first column of labels is narrow.
  const extent = (row: Row) => Math.max(...row.fragments.map((f) => f.x + f.width)) - Math.min(...row.fragments.map((f) => f.x));
  if (Math.min(median(leftRows.map(extent)), median(rightRows.map(extent))) < width * MIN_COLUMN_SHARE) return undefined;
  // Justified columns: their lines reach the gutter. A table's cells mostly stop short of the next cell.
  const full = leftRows.filter((row) => from - Math.max(...row.fragments.map((f) => f.x + f.width)) <= charHeight * FULL_LINE_SLACK).length;
  if (full < leftRows.length / 2) return undefined;
  return { from, to };
}

/** Fragments grouped into lines: within half a character height of a line's baseline, they are on it. */
function rowsOf(fragments: PositionedText[]): Row[] {
  const rows: Row[] = [];
  for (const fragment of [...fragments].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.at(-1);
    const tolerance = Math.max(2, (row?.height ?? fragment.height) * 0.5);
    if (row && Math.abs(row.y - fragment.y) <= tolerance) row.fragments.push(fragment);
    else rows.push({ y: fragment.y, height: fragment.height, fragments: [fragment] });
  }
  return rows;
}

function laidOut(row: Row): PageLine {
  const fragments = [...row.fragments].sort((a, b) => a.x - b.x);
  let line = "";
  let end = Number.NEGATIVE_INFINITY;
  const runs: PageLine["runs"] = [];
  for (const fragment of fragments) {
    const gap = fragment.x - end;
    // A wide gap is a table's next cell; a visible one a space (closed again between Chinese characters).
    const cell = gap > fragment.height * CELL_GAP;
    const separator = !line ? "" : cell ? " | " : gap > fragment.height * 0.3 ? " " : "";
    line += separator + fragment.text;
    end = Math.max(end, fragment.x + fragment.width);
    const run = runs.at(-1);
    if (run && !cell) {
      run.text += separator + fragment.text;
      run.width = Math.max(run.width, fragment.x + fragment.width - run.x);
      run.size = Math.max(run.size, fragment.height);
    } else runs.push({ text: fragment.text, x: fragment.x, y: fragment.y, width: fragment.width, size: fragment.height });
  }
  return {
    text: line.trim(),
    left: Math.min(...fragments.map((f) => f.x)),
    right: Math.max(...fragments.map((f) => f.x + f.width)),
    bottom: Math.min(...fragments.map((f) => f.y - f.height * DESCENT)),
    top: Math.max(...fragments.map((f) => f.y + f.height * ASCENT)),
    runs: runs.map((run) => ({ ...run, text: run.text.trim() })),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
