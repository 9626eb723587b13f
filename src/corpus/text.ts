const CJK = "\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef“”‘’《》〔〕（）【】—…·";

const spaceNextToCjk = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, "g");

/**
 * Joins PDF-broken text: white space next to a CJK character is an artefact of
 * line breaking and of the PDF's number spacing ("2023 年5 月"), so it goes;
 * white space between two Latin words or numbers stays as one space.
 */
export function joinCjk(text: string): string {
  return text.replace(spaceNextToCjk, "").replace(/\s+/g, " ").trim();
}

/** No white space at all; the characters themselves are kept as printed. */
export function compact(text: string): string {
  return text.replace(/\s+/g, "");
}

const FIELD_LINE = /^(牵头单位|责任单位|配合单位|完成时限|完成时间|时间节点)[：:]/;

/** A table's row as extractors write it: cells separated by ` | `. */
const TABLE_ROW = / \| /;

/**
 * Joins the lines of one item. Lines are PDF wrapping, so they run on, except
 * labelled field lines (牵头单位：…), which start a line of their own, and a
 * table's rows, which stay one row a line with their cells apart.
 */
export function joinLines(lines: string[]): string {
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const joined = joinRun(run);
    if (joined) parts.push(joined);
    run = [];
  };
  for (const line of lines) {
    if (!TABLE_ROW.test(line)) {
      run.push(line);
      continue;
    }
    flush();
    parts.push(
      line
        .split(" | ")
        .map((cell) => joinCjk(cell))
        .join(" | "),
    );
  }
  flush();
  return parts.join("\n");
}

function joinRun(lines: string[]): string {
  return lines
    .map((line) => joinCjk(line))
    .filter(Boolean)
    .map((line, i) => (i > 0 && FIELD_LINE.test(line) ? `\n${line}` : line))
    .reduce((text, line) => (line.startsWith("\n") || !text ? text + line : joinCjk(`${text}\n${line}`)), "");
}

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Parses 一 … 九十九 (and 百) as used in outline markers; NaN otherwise. */
export function parseChineseNumber(text: string): number {
  if (!text) return Number.NaN;
  let total = 0;
  let current = 0;
  for (const char of text) {
    if (char in CHINESE_DIGITS) current = CHINESE_DIGITS[char];
    else if (char === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else if (char === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else return Number.NaN;
  }
  return total + current;
}
