import { ENGLISH_NUMBER, FINANCIAL, NUMERAL_CHARS, parseEnglishNumber } from "./numerals.js";
import { vocabulary } from "./vocabulary.js";

/** The value of any Unicode decimal digit: they come in runs of ten from 0, so its place in its run is its value. */
function decimalDigit(char: string): string {
  let code = char.codePointAt(0)!;
  let offset = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code--;
    offset++;
  }
  return String(offset % 10);
}

const tidy = (value: number) => String(Number(value.toFixed(6)));
const HAN_DIGIT_RUN = /(?<![十百千万亿点])[零〇幺一二三四五六七八九]{3,}(?![十百千万亿点])/g;
const HAN_DIGIT_VALUE: Record<string, string> = { 零: "0", 〇: "0", 幺: "1", 一: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9" };
const FINANCIAL_CHAR = new RegExp(`[${Object.keys(FINANCIAL).join("")}]`, "g");
const NUMERAL_OR_DIGIT = new RegExp(`[\\d${NUMERAL_CHARS}]`);
/** What may follow a financial numeral for it to be one: 伍元, 玖拾%, 贰万; 陆续, 队伍 and 收拾 stay words. */
const AFTER_FINANCIAL = /[%元角万亿个年月日天倍成折分点项条次家户人名位]/;
const HAN_TLD = `(?:${vocabulary.hanDomainSuffixes.join("|")})`;
const DOT_BEFORE_HAN_SUFFIX = new RegExp(`(?<=\\p{Script=Han})。(?=${HAN_TLD}(?!\\p{Script=Han}))`, "gu");
const DOT_AFTER_LATIN = new RegExp(`(?<=[a-z0-9])[点。｡](?=[a-z]|${HAN_TLD}(?!\\p{Script=Han}))`, "gu");
const DIAN_BEFORE_HAN_SUFFIX = new RegExp(`(?<=\\p{Script=Han})(?<![重地要特亮试网站节观焦难热起优缺一有多早晚终原据景卖])点(?=${HAN_TLD})`, "gu");
const ENGLISH_NUMBERS = new RegExp(ENGLISH_NUMBER, "g");

const ENGLISH_UNITS: Array<[RegExp, string]> = [
  [/ ?(?:percent|per cent|pct)\b/y, "%"],
  [/ ?percentage points?\b/y, "百分点"],
  [/ ?(?:yuan|rmb|cny)\b/y, "元"],
  [/ ?(?:us )?(?:dollars?|usd)\b/y, "美元"],
  [/ ?(?:working|business) days?\b/y, "工作日"],
  [/ ?days?\b/y, "日"],
  [/ ?months?\b/y, "月"],
  [/ ?years?\b/y, "年"],
  [/ ?hours?\b/y, "小时"],
  [/ ?times\b/y, "倍"],
];

const DIGIT_UNITS = ENGLISH_UNITS.map(([unit, chinese]) => [new RegExp(`(?<=\\d)${unit.source}`, "g"), chinese] as const);

/** English numbers to digits, with their unit words to the Chinese units: "ninety percent" → 90%, "twenty thousand yuan" → 20000元. */
function englishNumbers(text: string): string {
  if (!/[a-z]/.test(text)) return text;
  const spelled = text
    .replace(/\b(?:a |one )?half\b/g, "50%")
    .replace(/\b(?:twice|double)\b/g, "2倍")
    .replace(/\b(?:triple|thrice)\b/g, "3倍");
  let out = "";
  let last = 0;
  for (const match of spelled.matchAll(ENGLISH_NUMBERS)) {
    const value = parseEnglishNumber(match[0].replace(/(\d)([a-z])/g, "$1 $2"));
    if (Number.isNaN(value) || match.index < last) continue;
    let end = match.index + match[0].length;
    let written = "";
    for (const [unit, chinese] of ENGLISH_UNITS) {
      unit.lastIndex = end;
      const found = unit.exec(spelled);
      if (found) {
        written = chinese;
        end += found[0].length;
        break;
      }
    }
    out += `${spelled.slice(last, match.index)}${tidy(value)}${written}`;
    last = end;
  }
  // Digits take the same unit words: 30 per cent, 1500 yuan.
  return DIGIT_UNITS.reduce((text, [unit, chinese]) => text.replace(unit, chinese), out + spelled.slice(last));
}

/**
 * One spelling for the answer and the clause alike, so what one states can be
 * looked up in the other: full-width and other scripts' digits to 0-9, lower
 * case, spaces only between two latin letters, every spelling of a dot in a
 * domain (。 [.] (.) 点 dot) and of @ to one, financial numerals and Han digit
 * strings (一三八…) to everyday ones, 2023-05-01 to 2023年05月01日, and
 * English numbers to digits.
 */
export function flatten(text: string): string {
  // 。 before a Han suffix that ends the run of Han is a dot (减免。中国 ); 。企业… starts a sentence.
  const dotted = text.includes("。") ? text.replace(DOT_BEFORE_HAN_SUFFIX, ".") : text;
  const flat = dotted
    .normalize("NFKC")
    .replace(/\p{Cf}+/gu, "")
    .toLowerCase()
    .replace(/\p{Nd}/gu, (char) => (char <= "9" ? char : decimalDigit(char)))
    .replace(/[‐‑‒–—―−－]/g, "-")
    .replace(/[٪﹪]/g, "%")
    .replace(/\s+/g, " ")
    .replace(/(?<![a-z]) | (?![a-z])/g, "")
    .replace(/[[({<]\s*(?:\.|。|dot|点)\s*[\])}>]| dot (?=[a-z])/g, ".")
    .replace(/[[({<]\s*(?:@|at)\s*[\])}>]| at (?=[a-z])/g, "@")
    .replace(DOT_AFTER_LATIN, ".")
    // 点 before a Han suffix is a dot (减免点中国) unless it ends a word (重点, 地点).
    .replace(DIAN_BEFORE_HAN_SUFFIX, ".")
    .replace(/(\d)[,，](?=\d{3}(?!\d))/g, "$1")
    .replace(FINANCIAL_CHAR, (char: string, at: number, all: string) => {
      const next = all[at + 1] ?? "";
      const previous = all[at - 1] ?? "";
      const numeric =
        /[卌廿卅仨俩倆]/.test(char) || NUMERAL_OR_DIGIT.test(next) || NUMERAL_OR_DIGIT.test(previous) || AFTER_FINANCIAL.test(next) || previous === "第";
      return numeric ? FINANCIAL[char] : char;
    })
    .replace(HAN_DIGIT_RUN, (run: string) => [...run].map((c) => HAN_DIGIT_VALUE[c]).join(""))
    .replace(/(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)/g, "$1年$2月$3日");
  return englishNumbers(flat);
}
