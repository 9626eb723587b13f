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

const DIGITISH = new RegExp(`[\\p{Nd}\\p{No}${Object.keys(HAN_DIGITS).join("")}]`, "u");

/** Whether the text has any character that may fold to a digit. */
export function mayHoldDigits(text: string): boolean {
  return DIGITISH.test(text);
}

/** Format characters (zero-width space, joiners, BOM, soft hyphen) read as nothing. */
const INVISIBLE = /^\p{Cf}$/u;

export interface FoldedText {
  /** The text with digits in 0-9 and invisible characters gone. */
  folded: string;
  /** For each folded character, where its source starts and ends in the original. */
  starts: number[];
  ends: number[];
}

export function foldDigits(text: string): FoldedText {
  const starts: number[] = [];
  const ends: number[] = [];
  let folded = "";
  let at = 0;
  for (const char of text) {
    const end = at + char.length;
    if (!INVISIBLE.test(char)) {
      for (const piece of char.normalize("NFKC")) {
        folded += HAN_DIGITS[piece] ?? piece;
        // A piece may itself be two UTF-16 units; each maps back to the whole source character.
        for (let i = 0; i < (HAN_DIGITS[piece] ?? piece).length; i++) {
          starts.push(at);
          ends.push(end);
        }
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
