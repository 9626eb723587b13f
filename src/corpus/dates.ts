import type { Deadline, IsoDate, Period } from "../types.js";
import { compact } from "./text.js";

const pad = (n: number) => String(n).padStart(2, "0");

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${year}-${pad(month)}-${pad(day)}`;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 2023年5月19日 → 2023-05-19; 2023年12月底 → 2023-12-31; 2023年底 → 2023-12-31. */
export function parseChineseDate(text: string, defaultYear?: number): IsoDate | undefined {
  const t = compact(text);
  let m = t.match(/(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/);
  if (m && (m[1] || defaultYear)) return isoDate(Number(m[1] ?? defaultYear), Number(m[2]), Number(m[3]));
  m = t.match(/(?:(\d{4})年)?(\d{1,2})月(?:底|末)/);
  if (m && (m[1] || defaultYear)) {
    const year = Number(m[1] ?? defaultYear);
    return isoDate(year, Number(m[2]), lastDayOfMonth(year, Number(m[2])));
  }
  m = t.match(/(\d{4})年(?:底|末)/);
  if (m) return isoDate(Number(m[1]), 12, 31);
  m = t.match(/(\d{4})年(\d{1,2})月/);
  if (m) return isoDate(Number(m[1]), Number(m[2]), lastDayOfMonth(Number(m[1]), Number(m[2])));
  return undefined;
}

const DATE = String.raw`\d{4}年\d{1,2}月\d{1,2}日`;
const PERIOD = new RegExp(
  // A date range is a period only when the text calls it one (实施期限为…) or runs it 自…起至;
  // "届满日在2022年6月15日至2022年12月31日之间" is a condition, not a period.
  String.raw`(?:(?:实施|执行|有效|政策|优惠|减免)(?:期限|期|时间)(?:为|是)?(?:自|从)?|(?:自|从))(${DATE})(?:起)?(?:至|到|—|-|～|~)((?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月(?:底|末))(?:止)?`,
);

/** Only the end of a period: "有效期至2025年12月31日", "执行至2024年底", "实施期限截至…". "延长至" moves a deadline and is not one. */
const PERIOD_END = new RegExp(
  String.raw`(?:(?:有效期|实施期限|执行期限|政策期限|有效期限)(?:为|是)?(?:截至|至|到)|(?:执行|实施|有效)(?:截至|至|到))(${DATE}|\d{4}年\d{1,2}月(?:底|末)|\d{4}年(?:底|末))(?:止)?`,
);

/** Finds an implementation period ("实施期限为2023年5月1日至2023年8月31日", or only its end). */
export function findPeriod(text: string): Period | undefined {
  const t = compact(text);
  const m = t.match(PERIOD);
  if (!m) {
    const end = t.match(PERIOD_END);
    const to = end ? parseChineseDate(end[1]) : undefined;
    return end && to ? { to, text: end[0] } : undefined;
  }
  const from = parseChineseDate(m[1]);
  const fromYear = from ? Number(from.slice(0, 4)) : undefined;
  const to = parseChineseDate(m[2], fromYear);
  if (!from || !to) return undefined;
  return { from, to, text: m[0].replace(/^(实施|执行|有效|政策|优惠|减免)?(期限|期|时间)?(为|是)?(自|从)?/, "") };
}

/** Reads a 完成时限 value: "2023年6月底前并长期坚持", "2023年12月30日", "长期坚持". */
export function parseDeadline(text: string): Deadline | undefined {
  const date = parseChineseDate(text);
  if (!date) return undefined;
  return { date, text: compact(text), ongoing: /长期|持续|常态/.test(text) };
}
