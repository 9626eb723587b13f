import { type Marker, OutlineTracker, readMarker } from "../corpus/outline.js";

const PAGE_MARKER = /^#\s*Page\s+\d+\s*:?\s*$/i;

/** What OCR reads 一 as when a speck or the scan's grain thins it: a dash of any width, a low line, l, I, a bar. */
const DASH = "[—–－\\-_~lI|丨─━]";

/** 一 read as a dash before its 、 (—、减轻经营负担, －，减轻…): 一、 is the only numeral that looks like a dash. */
const DASHED_COMMA = new RegExp(`^${DASH}\\s*[、，,]\\s*`);
/** （一） with its 一 read as a dash: （—）, (-). */
const DASHED_PAREN = new RegExp(`^[（(]\\s*${DASH}\\s*[）)]\\s*`);
/**
 * 、 opening a line: its numeral was lost (a thin 一 in speckle). No line of printed Chinese starts with 、
 * (line-start rules forbid it), so here it can only be a marker's.
 */
const BARE_COMMA = /^、\s*/;
/** A heading without its marker: a short run of Chinese characters, no punctuation, as 一、减轻经营负担 reads with 一、 lost. */
const BARE_HEADING = /^\p{Script=Han}{2,20}$/u;

const DIGITS = "零一二三四五六七八九";

/** 1–99 as outline markers write them: 一, 十, 十二, 二十, 二十三. */
function chineseNumeral(n: number): string {
  const [tens, units] = [Math.floor(n / 10), n % 10];
  if (!tens) return DIGITS[units];
  return `${tens > 1 ? DIGITS[tens] : ""}十${units ? DIGITS[units] : ""}`;
}

const commaMarker = (number: number, rest: string): Marker => ({ kind: "chinese-comma", number, label: `${chineseNumeral(number)}、`, rest });

/**
 * OCR's text with the outline markers it broke put back, where the numbering says which marker stood there.
 * A noisy scan loses exactly the marks the parser keys on: the thin 一 of 一、 (read as 、减轻经营负担, —、, or
 * dropped with its 、), and the 一 of （一） read as a dash. Each line is offered to an outline tracker as the
 * parser would see it; a line that is not a marker the sequence accepts is read again as one of those
 * confusions, and kept as it was unless the tracker accepts the repaired marker:
 * - 、 or a dash and 、 at a line's start: the chinese-comma marker the sequence expects next (a dash only as 一);
 * - a dash in brackets at a line's start: （一）;
 * - a short heading of Chinese characters alone on its line, directly above a （一）, when the chinese-comma
 *   sequence expects N and the next chinese-comma marker further down is N+1: N、 lost with its 、.
 * A dash or a bracket in running text, or a short line that no numbering around it asks for, is left alone.
 * A colon read from a speck right after a sentence's mark (贴息。：对) is dropped: no Chinese text has one there.
 */
export function repairOcrText(text: string): string {
  const lines = text.split("\n").map((line) => line.replace(/([。，；、！？])[：:]/g, "$1"));
  const content = lines.flatMap((line, index) => (line.trim() && !PAGE_MARKER.test(line.trim()) ? [index] : []));
  const tracker = new OutlineTracker();
  content.forEach((index, at) => {
    const line = lines[index].trim();
    const marker = readMarker(line);
    if (marker && tracker.accept(marker) !== undefined) return;
    const repaired = repairedMarker(
      line,
      tracker,
      content.slice(at + 1).map((i) => lines[i].trim()),
    );
    if (repaired && tracker.accept(repaired) !== undefined) lines[index] = repaired.label + repaired.rest;
  });
  return lines.join("\n");
}

function repairedMarker(line: string, tracker: OutlineTracker, after: string[]): Marker | undefined {
  const dashedComma = line.match(DASHED_COMMA);
  if (dashedComma) return commaMarker(1, line.slice(dashedComma[0].length));
  const bareComma = line.match(BARE_COMMA);
  if (bareComma) return commaMarker(tracker.nextNumber("chinese-comma"), line.slice(bareComma[0].length));
  const dashedParen = line.match(DASHED_PAREN);
  if (dashedParen) return { kind: "chinese-paren", number: 1, label: "（一）", rest: line.slice(dashedParen[0].length) };
  if (!BARE_HEADING.test(line) || readMarker(line)) return undefined;
  const next = after.length ? readMarker(after[0]) : undefined;
  if (next?.kind !== "chinese-paren" || next.number !== 1) return undefined;
  const expected = tracker.nextNumber("chinese-comma");
  const following = after.map((text) => readMarker(text)).find((marker) => marker?.kind === "chinese-comma");
  return following?.number === expected + 1 ? commaMarker(expected, line) : undefined;
}
