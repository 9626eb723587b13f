const UNIT = "(?:%|个工作日|工作日|个月|月|年|日|小时|分钟|倍|元|项|条|次|家|户|人|公里|吨|千瓦时)";

const HAN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const HAN_TENS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const HAN_RUN = "[零〇一二两三四五六七八九十廿卅百千万亿]+(?:点[零〇一二三四五六七八九]+)?";
/** What may follow a Han numeral for it to be a figure: "一律", "统一", "十四五" stay words. */
const HAN_UNIT_AHEAD = "(?=%|个?(?:工作日|月|小时|分钟|天|日|年|倍|项|条|次|家|户|人|公里|吨|元|千瓦时)|成(?![本立为果效员交都熟功绩])|折(?![旧算合扣]))";

/** Parses a Han numeral (三十, 两万, 一百零五, 二〇二三, 三点五); NaN when it is not one. */
export function parseHanNumeral(text: string): number {
  const [whole, fraction] = text.replace(/廿/g, "二十").replace(/卅/g, "三十").split("点");
  let value = 0;
  if (/^[零〇一二两三四五六七八九]{2,}$/.test(whole)) {
    // Read digit by digit, as years and phone numbers are: 二〇二三 = 2023.
    for (const char of whole) value = value * 10 + HAN_DIGITS[char];
  } else {
    let total = 0;
    let section = 0;
    let digit: number | undefined;
    for (const char of whole) {
      if (char === "零" || char === "〇") digit = undefined;
      else if (char in HAN_DIGITS) {
        if (digit !== undefined) return Number.NaN;
        digit = HAN_DIGITS[char];
      } else if (char in HAN_TENS) {
        section += (digit ?? 1) * HAN_TENS[char];
        digit = undefined;
      } else {
        const block = section + (digit ?? 0) || (total ? 0 : Number.NaN);
        total = char === "亿" ? (total + block) * 1e8 : total + block * 1e4;
        section = 0;
        digit = undefined;
      }
    }
    value = total + section + (digit ?? 0);
  }
  if (!whole || Number.isNaN(value)) return Number.NaN;
  if (fraction) value += Number(`0.${[...fraction].map((c) => HAN_DIGITS[c]).join("")}`);
  return value;
}

/** Drops binary noise from products such as 0.39×10000. */
const tidy = (value: number) => String(Number(value.toFixed(6)));

/** 8折 and 八五折 mean paying 80% and 85%; 九成 is 90%. */
function percentOf(value: number, marker: string): number {
  if (marker === "成") return value * 10;
  return value < 10 ? value * 10 : value;
}

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

/**
 * Puts figures in one spelling so the answer and the clause can be compared:
 * 百分之三十 → 30%, 九成 → 90%, 八五折 → 85%, 两万元 → 20000元, 50万元 → 500000元,
 * 一个工作日 → 1工作日, 三天 → 3日, and digits of any script folded to 0-9.
 */
export function normaliseFigures(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(/[\p{Cf}\s]+/gu, "")
      .replace(/\p{Nd}/gu, (char) => (char <= "9" ? char : decimalDigit(char)))
      .replace(/[٪﹪]/g, "%")
      .replace(/(\d)[,，](?=\d{3}(?!\d))/g, "$1")
      .replace(new RegExp(`百分之(${HAN_RUN}|\\d+(?:\\.\\d+)?)`, "g"), (match, n: string) => {
        const value = /\d/.test(n) ? Number(n) : parseHanNumeral(n);
        return Number.isNaN(value) ? match : `${tidy(value)}%`;
      })
      // A Han numeral is a figure when a unit follows, or when it counts in 万/亿 (三十万).
      .replace(
        new RegExp(`${HAN_RUN}${HAN_UNIT_AHEAD}|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*[万亿]`, "g"),
        (match: string, at: number, all: string) => {
          // "一家企业", "一人一档" are prose, not figures to look up.
          if (match === "一" && /[家户人元]/.test(all[at + 1])) return match;
          const value = parseHanNumeral(match);
          return Number.isNaN(value) ? match : tidy(value);
        },
      )
      .replace(/(\d+(?:\.\d+)?)(万|亿|千(?!瓦))/g, (_, n: string, unit: string) => tidy(Number(n) * { 万: 1e4, 亿: 1e8, 千: 1e3 }[unit]!))
      .replace(/(\d+(?:\.\d+)?)(成(?![本立为果效员交都熟功绩])|折(?![旧算合扣]))/g, (_, n: string, marker: string) => `${tidy(percentOf(Number(n), marker))}%`)
      .replace(/天/g, "日")
      .replace(/个(?=工作日|小时)/g, "")
  );
}

/** Figures as number-with-unit tokens: "30%", "1工作日", "2023年", "0.39元", "500000元". */
export function figures(text: string): string[] {
  const normalised = normaliseFigures(text);
  const tokens = normalised.match(new RegExp(`\\d+(?:\\.\\d+)?${UNIT}?`, "g")) ?? [];
  return [...new Set(tokens.map((token) => token.replace(/^(\d+(?:\.\d+)?)/, (n) => tidy(Number(n)))))];
}

const numberOf = (figure: string) => figure.match(/^\d+(?:\.\d+)?/)![0];

/** A figure is supported by an identical one, and a bare number (三十万) by any with the same value (30万元). */
function supported(figure: string, pool: Set<string>): boolean {
  if (pool.has(figure)) return true;
  return numberOf(figure) === figure && [...pool].some((other) => numberOf(other) === figure);
}

/** Ways a scam or an invention reaches users without a digit of a figure: each must be in a cited clause to pass. */
const CONTACTS: Array<{ name: string; pattern: RegExp }> = [
  {
    name: "链接",
    pattern:
      /(?:https?:\/\/|www\.)[\w.~:/?#@!$&'()*+,;=%-]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|info|top|xyz|cc|io|me|vip|shop|site|link|ly|co)(?![a-z0-9])[\w./?#=&%-]*/gi,
  },
  { name: "电子邮箱", pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g },
  { name: "电话号码", pattern: /(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|[48]00-?\d{3}-?\d{4})(?!\d)/g },
  {
    name: "账户或转账要求",
    pattern: /银行卡号?|银行账[号户]|账号|帐号|账户|帐户|卡号|开户行|转账|转帐|汇款|打款|汇入|付款码|收款码|二维码|扫码|验证码|密码|支付宝|微信号|身份证号/g,
  },
];

/** Promises no clause makes unless it says so: "全额免除，长期有效". */
const PROMISES = /全额|长期有效|一律|全部免|全免|永久|保证(?!金)|无条件|100%|绝对|一定能|必定|包过/g;

const contactForm = (text: string) =>
  normaliseFigures(text)
    .toLowerCase()
    .replace(/(?<=[a-z0-9])[。．](?=[a-z0-9])/g, ".")
    .replace(/[－—–]/g, "-");

function unsupportedClaims(answer: string, cited: string): string[] {
  const problems: string[] = [];
  const text = contactForm(answer);
  const source = contactForm(cited);
  for (const { name, pattern } of CONTACTS) {
    for (const [found] of text.matchAll(pattern)) {
      const bare = found.replace(/[-.]+$/, "");
      if (!source.includes(bare) && !source.replace(/-/g, "").includes(bare.replace(/-/g, ""))) problems.push(`${name}“${bare}”在所引条款中没有出现`);
    }
  }
  for (const [promise] of text.matchAll(PROMISES)) {
    if (!source.includes(promise)) problems.push(`“${promise}”这样的承诺在所引条款中没有出现`);
  }
  return problems;
}

export interface VerificationInput {
  answer: string;
  /** Texts of the numbered clauses given to the model, by marker (1-based). */
  clauses: Map<number, string>;
  /** Text the code itself supplied (today's date, validity sentences): figures from it are allowed too. */
  supplied: string;
  /** Instructions that must never be echoed to a user (the system prompt). */
  secret?: string;
}

export interface Verification {
  ok: boolean;
  problems: string[];
}

/**
 * Checks a model's answer before anyone sees it: every [n] names a clause that
 * was given; every figure stated, however it is written, appears in a clause
 * cited by the same sentence (or in what the code supplied); and links, phone
 * numbers, account requests and unconditional promises appear in a cited clause.
 */
export function verifyAnswer({ answer, clauses, supplied, secret }: VerificationInput): Verification {
  const problems: string[] = [];
  if (secret && leaksSecret(answer, secret)) problems.push("答案复述了系统设定，这不允许");
  const allowedSupplied = new Set(figures(supplied));
  const markers = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (!markers.length) problems.push("答案没有标注任何条款编号");
  for (const marker of new Set(markers)) if (!clauses.has(marker)) problems.push(`引用了不存在的条款编号[${marker}]`);
  const citedClauses = [...new Set(markers)].filter((n) => clauses.has(n)).map((n) => clauses.get(n)!);
  problems.push(...unsupportedClaims(answer.replace(/\[\d+\]/g, ""), [...citedClauses, supplied].join("\n")));

  const allCited = new Set(figures([...clauses.values()].join("\n")));
  // A sentence's figures must be in the clauses that sentence cites; a sentence without markers leans on the next one's.
  const sentences = answer.split(/(?<=[。；！？\n])/);
  let pending: string[] = [];
  for (const sentence of sentences) {
    const cited = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).filter((n) => clauses.has(n));
    const own = figures(sentence.replace(/\[\d+\]/g, "").replace(/^\s*\d+[.、]\s*/gm, ""));
    pending.push(...own);
    if (!cited.length && sentence !== sentences[sentences.length - 1]) continue;
    const pool = cited.length ? new Set(figures(cited.map((n) => clauses.get(n)!).join("\n"))) : allCited;
    for (const figure of pending) {
      if (!supported(figure, pool) && !supported(figure, allowedSupplied)) problems.push(`“${figure}”在所引条款中没有出现`);
    }
    pending = [];
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}

/** True when the answer repeats any substantial line of the secret text. */
function leaksSecret(answer: string, secret: string): boolean {
  // Zero-width characters and full-width forms must not hide an echo.
  const flatten = (text: string) => text.normalize("NFKC").replace(/[\p{Cf}\s]+/gu, "");
  const flat = flatten(answer);
  return secret
    .split("\n")
    .map((line) => flatten(line.replace(/^\s*\d+[.、]\s*/, "")))
    .filter((line) => line.length >= 16)
    .some((line) => flat.includes(line.slice(0, 16)));
}
