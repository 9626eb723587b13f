/** A figure a clause states, as quoted and in English. */
export interface Figure {
  /** As the clause writes it: 30%-50%, 1个工作日, 6000万元, 12348. */
  quoted: string;
  english: string;
  kind: "percent" | "amount" | "duration" | "date" | "count" | "number";
  /** Where it stands in the text, to keep the clause's order. */
  at: number;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DURATION_UNITS: Record<string, string> = {
  工作日: "working days",
  个工作日: "working days",
  日: "days",
  天: "days",
  小时: "hours",
  个月: "months",
  月: "months",
  年: "years",
  周: "weeks",
};
const COUNT_UNITS = "个|项|条|家|批|件|次|类|种";

const grouped = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 4 });

/** Dates first (so 2023年5月 is not read as 2023 years), then money, percentages, discounts, durations, counts, long numbers. */
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Omit<Figure, "at" | "quoted"> | undefined]> = [
  [
    /(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})年(\d{1,2})月(底|末|前)?|(?<!\d)(\d{1,2})月(底|末)/g,
    (m) => {
      if (m[1]) return { kind: "date", english: `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` };
      if (m[4]) return { kind: "date", english: `${m[6] === "底" || m[6] === "末" ? "end of " : ""}${MONTHS[Number(m[5]) - 1]} ${m[4]}` };
      return { kind: "date", english: `end of ${MONTHS[Number(m[7]) - 1]}` };
    },
  ],
  [
    /(\d+(?:\.\d+)?)(万|亿)?元(\/千瓦时|\/吨)?/g,
    (m) => {
      const value = Number(m[1]) * (m[2] === "万" ? 1e4 : m[2] === "亿" ? 1e8 : 1);
      const per = m[3] === "/千瓦时" ? " per kWh" : m[3] === "/吨" ? " per tonne" : "";
      return { kind: "amount", english: `${grouped(value)} yuan${per}` };
    },
  ],
  [/\d+(?:\.\d+)?%(?:[-~至]\d+(?:\.\d+)?%)?/g, () => ({ kind: "percent", english: "" })],
  [/百分之(\d+)/g, (m) => ({ kind: "percent", english: `${m[1]}%` })],
  [
    // 8折 and 6.4折 are tenths of the price; 64折 is written for 6.4折.
    /(?<![\d.])(\d{1,2}(?:\.\d)?)折/g,
    (m) => {
      const paid = Number(m[1]) < 10 ? Number(m[1]) * 10 : Number(m[1]);
      return { kind: "percent", english: `${grouped(paid)}% of the normal price, a ${grouped(100 - paid)}% discount` };
    },
  ],
  [
    /(\d+(?:\.\d+)?)(个工作日|工作日|小时|个月|日|天|年|周)(?!\d)/g,
    (m) => (Number(m[1]) > 1000 ? undefined : { kind: "duration", english: `${m[1]} ${DURATION_UNITS[m[2]]}`.replace(/^1 (.+)s$/, "1 $1") }),
  ],
  [/(\d+(?:\.\d+)?)(吨)/g, (m) => ({ kind: "number", english: `${m[1]} tonnes` })],
  [new RegExp(`(?<![\\d.])(\\d+)(${COUNT_UNITS})`, "g"), (m) => ({ kind: "count", english: m[1] })],
  [/(?<![\d.])\d{5,}(?![\d.])/g, () => ({ kind: "number", english: "" })],
];

/** Every figure a Chinese text states, in the text's order; each stretch of text counts once. */
export function findFigures(text: string): Figure[] {
  const plain = text.replace(/(?<=\d)\s+(?=[^\s\d])|(?<=[^\s\d])\s+(?=\d)/g, "");
  const taken: Array<[number, number]> = [];
  const figures: Figure[] = [];
  for (const [pattern, read] of PATTERNS) {
    for (const match of plain.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const figure = read(match as RegExpExecArray);
      if (!figure) continue;
      taken.push([start, end]);
      figures.push({ ...figure, quoted: match[0], english: figure.english || match[0], at: start });
    }
  }
  return figures.sort((a, b) => a.at - b.at);
}
