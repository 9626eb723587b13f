import { parseChineseNumber } from "./text.js";

/** The kinds of numbering Chinese policy documents use, outermost first by habit. */
export type MarkerKind = "annex" | "chapter" | "section" | "article" | "chinese-comma" | "chinese-paren" | "arabic-dot" | "arabic-paren" | "circled";

export interface Marker {
  kind: MarkerKind;
  number: number;
  /** The marker as printed: 一、 （五） 12. */
  label: string;
  /** The rest of the line after the marker. */
  rest: string;
}

const CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

const CHINESE_NUMERAL = "[一二三四五六七八九十百零〇]+";

const PATTERNS: Array<[MarkerKind, RegExp, (m: RegExpMatchArray) => number]> = [
  // 附件 / 附件1 / 附件2： on a line of its own (a short title may follow); 附件所列… in running text is not one.
  ["annex", /^附件\s*(\d{0,2})\s*[：:]?\s*(?=[^，。；]{0,40}$)/, (m) => (m[1] ? Number(m[1]) : 1)],
  // Regulations and 办法: 第一章 总则, 第二节, 第十二条.
  ["chapter", new RegExp(`^第(${CHINESE_NUMERAL})章\\s*`), (m) => parseChineseNumber(m[1])],
  ["section", new RegExp(`^第(${CHINESE_NUMERAL})节\\s*`), (m) => parseChineseNumber(m[1])],
  ["article", new RegExp(`^第(${CHINESE_NUMERAL})条\\s*`), (m) => parseChineseNumber(m[1])],
  ["chinese-comma", /^([一二三四五六七八九十百]+)[、，]\s*/, (m) => parseChineseNumber(m[1])],
  ["chinese-paren", /^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*/, (m) => parseChineseNumber(m[1])],
  // "2023 年" and "0.39 元" are not markers: the dot must not be followed by a digit.
  ["arabic-dot", /^(\d{1,3})\s*[.．](?!\d)\s*/, (m) => Number(m[1])],
  ["arabic-paren", /^[（(]\s*(\d{1,3})\s*[）)]\s*/, (m) => Number(m[1])],
  ["circled", new RegExp(`^([${CIRCLED}])\\s*`), (m) => CIRCLED.indexOf(m[1]) + 1],
];

/** Reads a numbering marker at the start of a line, if there is one. */
export function readMarker(line: string): Marker | undefined {
  for (const [kind, pattern, toNumber] of PATTERNS) {
    const m = line.match(pattern);
    if (!m) continue;
    const number = toNumber(m);
    if (!Number.isFinite(number) || number < 1) return undefined;
    return { kind, number, label: m[0].trim(), rest: line.slice(m[0].length) };
  }
  return undefined;
}

interface Level {
  kind: MarkerKind;
  last: number;
  /** Items opened at this level so far; lets a child list restart at 1 under a new parent. */
  opened: number;
}

/**
 * Tracks the outline of one document and decides whether a marker-looking line
 * really opens an item. Line starts such as （厂） or a stray number are only
 * accepted when they continue a numbering sequence, which is what keeps inline
 * brackets and page-broken sentences out of the outline.
 *
 * Numbering often continues across parents (（六） under 二、 after （五） under 一、),
 * and a list may also restart at 1 under a new parent: both are accepted.
 */
export class OutlineTracker {
  private stack: Level[] = [];
  private lastByKind = new Map<MarkerKind, number>();
  /** For each level, how many items its parent had opened when the level's last item opened. */
  private parentOpenedAt: number[] = [];
  private annexes = 0;

  /** The number that would continue `kind`'s sequence (1 when it has not been seen): what OCR repair may restore a lost numeral as. */
  nextNumber(kind: MarkerKind): number {
    return (this.lastByKind.get(kind) ?? 0) + 1;
  }

  /** Returns the depth (0 = outermost) when the marker is accepted. */
  accept(marker: Marker): number | undefined {
    // An annex (附件1) starts a new outline of its own: its numbering restarts under it.
    if (marker.kind === "annex") {
      if (marker.number !== this.annexes + 1) return undefined;
      this.annexes = marker.number;
      this.stack = [];
      this.parentOpenedAt = [];
      this.lastByKind.clear();
      this.stack.push({ kind: "annex", last: 0, opened: 0 });
      this.open(0, marker);
      return 0;
    }
    const depth = this.stack.findIndex((level) => level.kind === marker.kind);
    if (depth >= 0) {
      const level = this.stack[depth];
      const parentMoved = depth > 0 && this.stack[depth - 1].opened !== this.parentOpenedAt[depth];
      const ok = marker.number === level.last + 1 || (marker.number === 1 && parentMoved);
      if (!ok) return undefined;
      this.stack.length = depth + 1;
      this.parentOpenedAt.length = depth + 1;
      this.open(depth, marker);
      return depth;
    }
    const previous = this.lastByKind.get(marker.kind);
    const continues = previous !== undefined && marker.number === previous + 1;
    if (marker.number !== 1 && !continues) return undefined;
    // A kind seen before but popped (（二十三） after 71.) comes back below the
    // deepest level whose kind is habitually outer to it.
    const newDepth = continues ? this.depthForReturningKind(marker.kind) : this.stack.length;
    this.stack.length = newDepth;
    this.parentOpenedAt.length = newDepth;
    this.stack.push({ kind: marker.kind, last: 0, opened: 0 });
    this.open(newDepth, marker);
    return newDepth;
  }

  private depthForReturningKind(kind: MarkerKind): number {
    const order: MarkerKind[] = ["annex", "chapter", "section", "article", "chinese-comma", "chinese-paren", "arabic-dot", "arabic-paren", "circled"];
    const rank = order.indexOf(kind);
    let depth = 0;
    while (depth < this.stack.length && order.indexOf(this.stack[depth].kind) < rank) depth++;
    return depth;
  }

  private open(depth: number, marker: Marker): void {
    const level = this.stack[depth];
    level.last = marker.number;
    level.opened++;
    this.parentOpenedAt[depth] = depth > 0 ? this.stack[depth - 1].opened : 0;
    this.lastByKind.set(marker.kind, marker.number);
  }
}
