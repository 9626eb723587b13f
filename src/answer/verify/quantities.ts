import { parseHanNumeral } from "./numerals.js";

/** A figure in one spelling: its value and its unit ("" when none is written: 三十万). */
export interface Quantity {
  value: number;
  unit: string;
}

const tidy = (value: number) => String(Number(value.toFixed(6)));
export const showQuantity = (q: Quantity) => `${tidy(q.value)}${q.unit}`;

/** Units in their one spelling, longest first so 工作日 is not read as 日. */
const UNITS = [
  "百分点",
  "%",
  "折",
  "工作日",
  "自然日",
  "小时",
  "分钟",
  "季度",
  "千瓦时",
  "平方米",
  "公里",
  "千克",
  "美元",
  "欧元",
  "港元",
  "元",
  "日",
  "周",
  "月",
  "年",
  "秒",
  "倍",
  "项",
  "条",
  "款",
  "人次",
  "次",
  "家",
  "户",
  "人",
  "名",
  "位",
  "个",
  "件",
  "米",
  "亩",
  "吨",
  "岁",
  "号",
  "期",
  "批",
  "类",
  "种",
  "份",
  "台",
  "辆",
  "所",
  "座",
  "张",
  "页",
  "时",
  "点",
];
const UNIT = `(?:${UNITS.join("|")})`;
/** Characters that may follow a number without being its unit: 30以上, 5月1日起, 30%的. */
const FOLLOWERS = /[以余多来至到及或和与的后前内左右起止间为是等即上下外每之、,;:.。!?()[\]\-~/□"“”'‘’《》\s]/;

const HAN_RUN = "[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?";
const NUMBER = `(?:\\d+(?:\\.\\d+)?|${HAN_RUN})`;
/** What may follow a Han numeral for it to be a figure: "一律", "统一" stay words. */
const HAN_UNIT_AHEAD = `(?=%|百分点|个?(?:工作日|自然日|月|小时|分钟|天|日|周|星期|季度|年|倍|项|条|款|次|家|户|人|名|位|件|公里|吨|元|美元|千瓦时|亩|岁|批|期)|成(?![本立为果效员交都熟功绩长就品型分份套色])|折(?![旧算合扣叠]))`;
const HAN_RANGE_UNIT = `(?:%|个?百分点|成|折|个?(?:工作日|自然日|月|小时|天|日|周|年|倍|项|次|家|户|人|名)|元|美元|年)`;
const RANGE = new RegExp(`(?<![\\d.])(${NUMBER})([-~～至到])(${NUMBER})([万亿千]?)(${HAN_RANGE_UNIT})`, "g");
const FRACTION = new RegExp(`(${NUMBER})分之(${NUMBER})`, "g");
const POINTS = new RegExp(`(${NUMBER})个?百分点`, "g");
const HAN_FIGURE = new RegExp(
  `${HAN_RUN}${HAN_UNIT_AHEAD}|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*[十百千万亿][零〇一二两三四五六七八九]?`,
  "g",
);
const QUANTITY = new RegExp(`(\\d+(?:\\.\\d+)?)(${UNIT})?`, "gu");
const ANY_NUMERAL = /[\d零〇一二两三四五六七八九十百千万亿半]/;
const AS_NUMBER = (text: string) => (/\d/.test(text) ? Number(text) : parseHanNumeral(text));

/**
 * Writes every figure in digits with one spelling of its unit, so the answer's
 * and the clause's can be compared: 百分之三十 / 三成 / 十分之三 → 30%,
 * 一半 / 减半 / 半价 → 50%, 八五折 → 8.5折, 九十个百分点 → 90百分点,
 * 两万元 → 20000元, 10-20万元 → 100000元-200000元, 三天 → 3日.
 * 成 and % are one quantity (九成 = 90%); 折 is what is paid (八折 = 8折), kept apart from a share cut.
 */
export function rewriteFigures(text: string): string {
  if (!ANY_NUMERAL.test(text)) return text;
  return (
    text
      // A range's first number takes the second's multiplier and unit: 10-20万元, 三至五成.
      .replace(RANGE, (_, a: string, link: string, b: string, times: string, unit: string) => `${a}${times}${unit}${link}${b}${times}${unit}`)
      .replace(FRACTION, (match, whole: string, part: string) => {
        const value = (AS_NUMBER(part) / AS_NUMBER(whole)) * 100;
        return Number.isFinite(value) ? `${tidy(value)}%` : match;
      })
      .replace(/(?<![\d.])(\d+(?:\.\d+)?)[/⁄](\d+(?:\.\d+)?)(?![\d/⁄])/g, (match, part: string, whole: string) => {
        const value = (Number(part) / Number(whole)) * 100;
        return Number.isFinite(value) ? `${tidy(value)}%` : match;
      })
      .replace(/一半|减半|半价|对半|折半|半数/g, "50%")
      .replace(/(?<![\d一二两三四五六七八九十])半(?=个?(?:月|年|小时|天|日))/g, "0.5")
      .replace(POINTS, (match, n: string) => {
        const value = AS_NUMBER(n);
        return Number.isNaN(value) ? match : `${tidy(value)}百分点`;
      })
      // A Han numeral is a figure when a unit follows, or when it counts in tens and more (三十万, 两千).
      .replace(HAN_FIGURE, (match: string) => {
        const value = parseHanNumeral(match);
        return Number.isNaN(value) ? match : tidy(value);
      })
      .replace(/(\d+(?:\.\d+)?)(万|亿|千(?![瓦克米]))/g, (_, n: string, times: string) => tidy(Number(n) * { 万: 1e4, 亿: 1e8, 千: 1e3 }[times]!))
      .replace(/(\d+(?:\.\d+)?)成(?![本立为果效员交都熟功绩长就品型分份套色])/g, (_, n: string) => `${tidy(Number(n) * 10)}%`)
      .replace(/(\d+(?:\.\d+)?)折(?![旧算合扣叠])/g, (_, n: string) => `${tidy(Number(n) >= 10 ? Number(n) / 10 : Number(n))}折`)
      .replace(/(?<=\d)(?:块钱|块)/g, "元")
      .replace(/(?<=\d)周岁/g, "岁")
      .replace(/(?<=\d)公斤/g, "千克")
      .replace(/(?<=\d)千米/g, "公里")
      .replace(/(?<=\d)星期/g, "周")
      .replace(/(?<=\d)天/g, "日")
      .replace(/(?<=\d)个(?=工作日|自然日|小时|月|周|季度)/g, "")
  );
}

/** Reads the figures of rewritten text, and returns the text with them blanked out. */
export function readQuantities(rewritten: string): { quantities: Quantity[]; rest: string } {
  const quantities: Quantity[] = [];
  const rest = rewritten.split("");
  for (const match of rewritten.matchAll(QUANTITY)) {
    let length = match[0].length;
    let unit = match[2] ?? "";
    const next = rewritten[match.index + length] ?? "";
    // An unknown word after a number is its unit too: 30斤 must not pass as the 30 of 30%.
    if (!unit && /\p{Script=Han}/u.test(next) && !FOLLOWERS.test(next)) {
      unit = next;
      length++;
    }
    quantities.push({ value: Number(match[1]), unit });
    rest.fill("□", match.index, match.index + length);
  }
  return { quantities, rest: rest.join("") };
}

/** Units of dates and times: a number without a unit is not a date's (最高补贴31 is not the 31 of 8月31日). */
const CALENDAR = new Set(["年", "月", "日", "周", "时", "点", "号"]);

/** The same quantity: equal values, and the same unit, unless the answer wrote none (三十万 for 30万元) and the clause's is no date. */
export function sameQuantity(stated: Quantity, source: Quantity): boolean {
  const close = Math.abs(stated.value - source.value) <= 1e-6 * Math.max(1, Math.abs(source.value));
  return close && (stated.unit === source.unit || (stated.unit === "" && !CALENDAR.has(source.unit)));
}
