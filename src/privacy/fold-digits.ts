/**
 * Digits written so that a pattern over 0-9 does not see them: full-width (１３８), split by invisible
 * characters (1\u200b3\u200b8), or spelt in Han numerals (一三八, 幺三八, 壹叁捌). Folding them to 0-9 while
 * keeping where each folded character came from lets a match be masked in the text as it was written.
 */
const HAN_DIGITS: Record<string, string> = {
  〇: "0",
  零: "0",
  洞: "0",
  一: "1",
  幺: "1",
  壹: "1",
  二: "2",
  两: "2",
  贰: "2",
  貳: "2",
  三: "3",
  叁: "3",
  參: "3",
  四: "4",
  肆: "4",
  五: "5",
  伍: "5",
  六: "6",
  陆: "6",
  陸: "6",
  七: "7",
  柒: "7",
  拐: "7",
  八: "8",
  捌: "8",
  九: "9",
  玖: "9",
  勾: "9",
};

/** Format characters (zero-width space, joiners, BOM, soft hyphen) read as nothing. */
const INVISIBLE = /^\p{Cf}$/u;

export interface FoldedText {
  /** The text with digits in 0-9 and invisible characters gone. */
  folded: string;
  /** For each folded character, where its source starts and ends in the original. */
  starts: number[];
  ends: number[];
}

/** Characters NFKC may turn into a digit or a Latin letter: full-width forms, other scripts' and circled digits. */
const COMPATIBLE = /[\p{Nd}\p{No}\uFF00-\uFFEF]/u;
/** A run of seven or more digit-like characters, separators and invisible characters allowed between them. */
const DIGIT_RUN = new RegExp(`(?:[${Object.keys(HAN_DIGITS).join("")}\\p{Nd}\\p{No}\\uFF38\\uFF58][\\s\\p{Cf}\\-\\uFF0D]*){7,}`, "gu");
const NOT_ASCII = /\P{ASCII}/u;

/**
 * Whether folding could change what the patterns find: only a long run of digits written with something other
 * than 0-9 can. Ordinary Chinese (full-width punctuation, 第一条, 三十日) is matched as it is, which is fast.
 */
export function needsFolding(text: string): boolean {
  for (const run of text.matchAll(DIGIT_RUN)) if (NOT_ASCII.test(run[0])) return true;
  return false;
}

export function foldDigits(text: string): FoldedText {
  const starts: number[] = [];
  const ends: number[] = [];
  let folded = "";
  let at = 0;
  for (const char of text) {
    const end = at + char.length;
    // Most characters are kept as they are; only the few that fold are normalised, for speed on every log line.
    const pieces = char.charCodeAt(0) < 0x80 ? char : INVISIBLE.test(char) ? "" : (HAN_DIGITS[char] ?? (COMPATIBLE.test(char) ? char.normalize("NFKC") : char));
    for (const piece of pieces) {
      const out = HAN_DIGITS[piece] ?? piece;
      folded += out;
      // A piece may itself be two UTF-16 units; each maps back to the whole source character.
      for (let i = 0; i < out.length; i++) {
        starts.push(at);
        ends.push(end);
      }
    }
    at = end;
  }
  return { folded, starts, ends };
}

/** Replaces every match of `pattern` (global) found in the folded text, in the original text, by `label`. */
export function replaceFolded(text: string, pattern: RegExp, label: string): string {
  const { folded, starts, ends } = foldDigits(text);
  const spans = [...folded.matchAll(pattern)].filter((m) => m[0].length > 0).map((m) => [starts[m.index], ends[m.index + m[0].length - 1]] as const);
  let out = text;
  for (const [start, end] of spans.reverse()) out = out.slice(0, start) + label + out.slice(end);
  return out;
}
