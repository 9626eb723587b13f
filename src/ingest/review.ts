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

/** What staff should check before publishing (a missing 文号, a numbering gap, an over-long clause, OCR noise), each naming the uploaded file. */
export function reviewWarnings(parsed: ParsedFile, name: string): string[] {
  const warnings: string[] = [];
  for (const document of parsed.documents) {
    const measures = parsed.measures.filter((m) => m.documentId === document.id);
    if (document.format === "plain") continue;
    if (document.region === "未注明地区") {
      warnings.push(`${name}《${document.shortTitle}》：标题和落款中没有找到地区；请在发布前设置地区，否则回答无法判断它适用于哪里`);
    }
    if (!document.docNumber) warnings.push(`${name}《${document.shortTitle}》：没有找到文号（如 新政办发〔2023〕12号）；文件如有文号，请在发布前补上`);
    for (const measure of measures) {
      const skipped = labelAfter(measure.marker, 2);
      const missing = labelAfter(measure.marker, 1);
      const compactText = measure.text.replace(/\s/g, "");
      if (skipped && missing && compactText.includes(skipped) && !parsed.measures.some((m) => m.documentId === document.id && m.marker === missing)) {
        warnings.push(
          `${name} ${measure.path.join(" › ")}：编号不连续——${measure.marker}之后是${skipped}，缺少${missing}，${skipped}被读作${measure.marker}的一部分；请对照原件核对`,
        );
      }
      if (measure.text.length > LONG_MEASURE_CHARS) {
        warnings.push(`${name} ${measure.path.join(" › ")}：共 ${measure.text.length} 字，超过 ${LONG_MEASURE_CHARS} 字；可能漏读了条款编号，请对照原件核对`);
      }
    }
  }
  // A table's cell separators ( | ) are the reader's, not noise.
  const text = parsed.measures.map((m) => m.text.replace(/ \| /g, "")).join("");
  const noise = text.match(NOISE)?.length ?? 0;
  if (text.length > 100 && noise / text.length > 0.01) {
    warnings.push(`${name}：文字像是 OCR 噪声（${text.length} 字中有 ${noise} 个零散符号或单个字母）；发布前请对照原件核对`);
  }
  return warnings;
}
