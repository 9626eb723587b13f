import { parseChineseDate } from "../corpus/dates.js";
import { readDocNumber } from "../corpus/doc-number.js";
import { readMarker } from "../corpus/outline.js";
import type { StandaloneHeading } from "../corpus/parse-compilation.js";
import type { SourceLine } from "../corpus/source-lines.js";
import { compact } from "../corpus/text.js";

const TITLE_END = /(通知|意见|办法|方案|措施|规定|决定|细则|条例|公告|通告|要点|规则|规划|指引|指南|清单|纲要|批复|函)(（[^）]{0,30}）)?$/;
const TITLE_WORDS = /关于|印发|通知|方案|意见|办法|措施|规定|决定|要点|条例|细则|公告|通告|规则|指引|指南/;
const DATE_LINE = /^[（(]?\d{4}年\d{1,2}月\d{1,2}日/;
/** How far into a document its title may start (after a 文号, 签发人, a "附件" label). */
const TITLE_WITHIN = 12;
const TITLE_LINES = 4;

/**
 * Finds the title, 文号 and date of a document that stands alone (an upload):
 * the first lines that join into a title ending like one (…的通知, …办法), a
 * 文号 line near it, and the first date line after it (the signature date, or
 * the "（2023年5月1日…通过）" under a regulation's title). Undefined when the
 * text has no such title: it does not look like a policy document.
 */
export function findStandaloneHeading(lines: SourceLine[]): StandaloneHeading | undefined {
  let docNumber: string | undefined;
  const headingLines: number[] = [];
  for (let start = 0; start < Math.min(lines.length, TITLE_WITHIN); start++) {
    const text = compact(lines[start].text);
    if (readDocNumber(text)) {
      docNumber ??= readDocNumber(text);
      headingLines.push(start);
      continue;
    }
    if (readMarker(text) || /[。；：:]$/.test(text)) continue;
    let joined = "";
    for (let end = start; end < Math.min(lines.length, start + TITLE_LINES); end++) {
      const next = compact(lines[end].text);
      if (end > start && (readDocNumber(next) || readMarker(next) || DATE_LINE.test(next))) break;
      joined += next;
      if (joined.length > 90) break;
      if (TITLE_END.test(joined) && TITLE_WORDS.test(joined)) {
        for (let i = start; i <= end; i++) headingLines.push(i);
        const after = lines.slice(end + 1);
        const numberAt = after.slice(0, 3).findIndex((l) => readDocNumber(compact(l.text)));
        if (!docNumber && numberAt >= 0) {
          docNumber = readDocNumber(compact(after[numberAt].text));
          headingLines.push(end + 1 + numberAt);
        }
        return { title: joined, docNumber, date: dateAfter(after), signatory: signatoryOf(after), headingLines };
      }
    }
  }
  return undefined;
}

const SIGNATORY = /^[^，。；：:,]{2,30}(办公室|办公厅|人民政府|委员会|局|委|厅|中心|院|部|政府)$/;

/** The issuing body signed above the last date standing alone. */
function signatoryOf(lines: SourceLine[]): string | undefined {
  for (let i = lines.length - 1; i > 0; i--) {
    if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(compact(lines[i].text)) && SIGNATORY.test(compact(lines[i - 1].text))) return compact(lines[i - 1].text);
  }
  return undefined;
}

/**
 * The document's date: a bracketed date under the title (a regulation's
 * "（2023年5月1日…通过）"), else the signature's (a date alone under the issuing
 * body), else the first line that is a date alone, else the first line that
 * opens with one. A clause's wrapped line may open with a date too
 * ("2025年12月31日。" after a column break), so that is the last resort.
 */
function dateAfter(lines: SourceLine[]): string | undefined {
  const texts = lines.map((line) => compact(line.text));
  const dateOf = (text: string) => parseChineseDate(text.match(/\d{4}年\d{1,2}月\d{1,2}日/)![0]);
  const bracketed = texts.slice(0, 3).find((text) => /^[（(]\d{4}年\d{1,2}月\d{1,2}日/.test(text) && text.length <= 40);
  if (bracketed) return dateOf(bracketed);
  const alone = /^\d{4}年\d{1,2}月\d{1,2}日$/;
  for (let i = texts.length - 1; i > 0; i--) if (alone.test(texts[i]) && SIGNATORY.test(texts[i - 1])) return dateOf(texts[i]);
  const dateLine = texts.find((text) => alone.test(text)) ?? texts.find((text) => DATE_LINE.test(text) && text.length <= 40);
  return dateLine ? dateOf(dateLine) : undefined;
}
