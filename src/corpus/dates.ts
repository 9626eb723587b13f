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

/** Finds an implementation period ("实施期限为2023年5月1日至2023年8月31日"). */
export function findPeriod(text: string): Period | undefined {
  const t = compact(text);
  const m = t.match(PERIOD);
  if (!m) return undefined;
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
