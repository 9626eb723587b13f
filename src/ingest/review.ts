import { readMarker } from "../corpus/outline.js";
import type { ParsedFile } from "../corpus/parse-compilation.js";

/** Past this a clause is probably two run together (a missed marker), too long to quote. */
export const LONG_MEASURE_CHARS = 1500;

const CHINESE_NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const chineseNumeral = (n: number) =>
  n <= 10 ? CHINESE_NUMERALS[n] : n < 20 ? `十${CHINESE_NUMERALS[n - 10]}` : `${CHINESE_NUMERALS[Math.floor(n / 10)]}十${CHINESE_NUMERALS[n % 10]}`;

/** The label of the item `step` after `label` in the same numbering style: （三）+2 → （五）. */
function labelAfter(label: string, step: number): string | undefined {
  const marker = readMarker(label);
  if (!marker) return undefined;
  const n = marker.number + step;
  switch (marker.kind) {
    case "chinese-comma":
      return `${chineseNumeral(n)}、`;
    case "chinese-paren":
      return `（${chineseNumeral(n)}）`;
    case "arabic-dot":
      return `${n}.`;
    case "article":
      return `第${chineseNumeral(n)}条`;
    default:
      return undefined;
  }
}

/** Characters OCR makes of specks and table rules, and Latin letters standing alone among Chinese. */
const NOISE = /[|_~^`{}<>=+@#$&*\\¦]|(?<![A-Za-z])[A-Za-z](?![A-Za-z])/g;

/** What staff should check before publishing: a missing 文号, a numbering gap, an over-long clause, OCR noise. */
export function reviewWarnings(parsed: ParsedFile): string[] {
  const warnings: string[] = [];
  for (const document of parsed.documents) {
    const measures = parsed.measures.filter((m) => m.documentId === document.id);
    if (document.format === "plain") continue;
    if (document.region === "未注明地区") {
      warnings.push(
        `《${document.shortTitle}》: no place found in the title or signature; set the region before publishing, or answers cannot tell where it applies`,
      );
    }
    if (!document.docNumber)
      warnings.push(`《${document.shortTitle}》: no 文号 found (e.g. 新政办发〔2023〕12号); add it before publishing if the document has one`);
    for (const measure of measures) {
      const skipped = labelAfter(measure.marker, 2);
      const missing = labelAfter(measure.marker, 1);
      const compactText = measure.text.replace(/\s/g, "");
      if (skipped && missing && compactText.includes(skipped) && !parsed.measures.some((m) => m.documentId === document.id && m.marker === missing)) {
        warnings.push(
          `${measure.path.join(" › ")}: numbering gap — ${skipped} follows ${measure.marker} without ${missing}, so ${skipped} was read as part of ${measure.marker}; check the original`,
        );
      }
      if (measure.text.length > LONG_MEASURE_CHARS) {
        warnings.push(`${measure.path.join(" › ")}: ${measure.text.length} characters, more than ${LONG_MEASURE_CHARS}; a clause marker may have been missed`);
      }
    }
  }
  // A table's cell separators ( | ) are the reader's, not noise.
  const text = parsed.measures.map((m) => m.text.replace(/ \| /g, "")).join("");
  const noise = text.match(NOISE)?.length ?? 0;
  if (text.length > 100 && noise / text.length > 0.01) {
    warnings.push(
      `the text looks like OCR noise (${noise} stray symbols or single letters in ${text.length} characters); compare it with the original before publishing`,
    );
  }
  return warnings;
}
