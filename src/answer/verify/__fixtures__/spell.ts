/** Writes numbers every way an answer might, for the verifier's property tests. */

const HAN = "零一二三四五六七八九";

function hanSection(n: number): string {
  let out = "";
  let gap = false;
  for (const [place, name] of [
    [1000, "千"],
    [100, "百"],
    [10, "十"],
    [1, ""],
  ] as const) {
    const digit = Math.floor(n / place) % 10;
    if (!digit) {
      if (out) gap = true;
      continue;
    }
    if (gap) out += "零";
    gap = false;
    out += HAN[digit] + name;
  }
  return out;
}

/** 30 → 三十, 105 → 一百零五, 300000 → 三十万, 1500 → 一千五百. */
export function han(n: number): string {
  if (!n) return "零";
  const parts: string[] = [];
  const yi = Math.floor(n / 1e8);
  const wan = Math.floor(n / 1e4) % 1e4;
  const rest = n % 1e4;
  if (yi) parts.push(`${hanSection(yi)}亿`);
  if (wan) parts.push(`${parts.length && wan < 1000 ? "零" : ""}${hanSection(wan)}万`);
  if (rest) parts.push(`${parts.length && rest < 1000 ? "零" : ""}${hanSection(rest)}`);
  return parts.join("").replace(/^一十/, "十");
}

const FINANCIAL: Record<string, string> = {
  一: "壹",
  二: "贰",
  三: "叁",
  四: "肆",
  五: "伍",
  六: "陆",
  七: "柒",
  八: "捌",
  九: "玖",
  十: "拾",
  百: "佰",
  千: "仟",
};
/** 90 → 玖拾, 20000 → 贰万. */
export const financial = (n: number) => [...han(n)].map((c) => FINANCIAL[c] ?? c).join("");

/** Digit by digit, as phone numbers are read out: 138 → 一三八. */
export const hanDigits = (digits: string) => [...digits].map((d) => HAN[Number(d)]).join("");

export const fullWidth = (text: string) => text.replace(/[0-9%]/g, (c) => (c === "%" ? "％" : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
export const arabicIndic = (text: string) => text.replace(/[0-9]/g, (c) => String.fromCharCode(0x660 + Number(c)));

const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

function englishBelowThousand(n: number): string {
  const words: string[] = [];
  if (n >= 100) words.push(`${ONES[Math.floor(n / 100)]} hundred`);
  const rest = n % 100;
  if (rest >= 20) words.push(TENS[Math.floor(rest / 10)] + (rest % 10 ? `-${ONES[rest % 10]}` : ""));
  else if (rest || !words.length) words.push(ONES[rest]);
  return words.join(" ");
}

/** 90 → ninety, 20000 → twenty thousand, 1500 → one thousand five hundred (below a billion). */
export function english(n: number): string {
  const words: string[] = [];
  const millions = Math.floor(n / 1e6);
  const thousands = Math.floor(n / 1e3) % 1e3;
  const rest = n % 1e3;
  if (millions) words.push(`${englishBelowThousand(millions)} million`);
  if (thousands) words.push(`${englishBelowThousand(thousands)} thousand`);
  if (rest || !words.length) words.push(englishBelowThousand(rest));
  return words.join(" ");
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
/** A percentage as the smallest fraction: 30 → [3, 10], 50 → [1, 2]. */
export function fraction(percent: number): [number, number] {
  const divisor = gcd(percent, 100);
  return [percent / divisor, 100 / divisor];
}
