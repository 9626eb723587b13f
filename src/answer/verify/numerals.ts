/** Han digits, with 幺 as read out in phone numbers (幺三八). */
export const HAN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 幺: 1, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const HAN_TENS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Financial numerals (大写数字) and old forms, read as the everyday ones: 贰万 = 两万, 玖拾 = 九十. */
export const FINANCIAL: Record<string, string> = {
  壹: "一",
  贰: "二",
  貳: "二",
  弍: "二",
  叁: "三",
  參: "三",
  弎: "三",
  肆: "四",
  伍: "五",
  陆: "六",
  陸: "六",
  柒: "七",
  捌: "八",
  玖: "九",
  拾: "十",
  佰: "百",
  仟: "千",
  萬: "万",
  億: "亿",
  兩: "两",
  仨: "三",
  俩: "两",
  倆: "两",
  卌: "四十",
  廿: "二十",
  卅: "三十",
};

/** Every character that can write part of a number, in any script we read. */
export const NUMERAL_CHARS = `零〇幺一二两三四五六七八九十百千万亿${Object.keys(FINANCIAL).join("")}`;

/** Parses a Han numeral (三十, 两万, 一百零五, 二〇二三, 三点五); NaN when it is not one. */
export function parseHanNumeral(text: string): number {
  const [whole, fraction] = text.split("点");
  let value = 0;
  if (/^[零〇幺一二三四五六七八九]{2,}$/.test(whole)) {
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
      } else if (char === "万" || char === "亿") {
        const block = section + (digit ?? 0) || (total ? 0 : Number.NaN);
        total = char === "亿" ? (total + block) * 1e8 : total + block * 1e4;
        section = 0;
        digit = undefined;
      } else return Number.NaN;
    }
    value = total + section + (digit ?? 0);
  }
  if (!whole || Number.isNaN(value)) return Number.NaN;
  if (fraction) {
    if (![...fraction].every((c) => c in HAN_DIGITS)) return Number.NaN;
    value += Number(`0.${[...fraction].map((c) => HAN_DIGITS[c]).join("")}`);
  }
  return value;
}

const SMALL: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9 };

const WORD = `(?:${[...Object.keys(SMALL), ...Object.keys(SCALES)].sort((a, b) => b.length - a.length).join("|")})`;
/** "ninety", "twenty thousand", "one hundred and five", "two point five", "20 thousand". */
export const ENGLISH_NUMBER = `(?:\\b(?:an? )?${WORD}(?:[ -](?:and[ -])?(?:${WORD}|point))*|\\d+(?:\\.\\d+)? ?(?:hundred|thousand|million|billion)\\b)`;

/** The value of an English number phrase; NaN when the words do not make one. */
export function parseEnglishNumber(phrase: string): number {
  const words = phrase
    .toLowerCase()
    .split(/[ -]+/)
    .filter((w) => w && w !== "and" && w !== "a" && w !== "an");
  // "one three eight" is read out digit by digit, as phone numbers are.
  if (words.length > 1 && words.every((w) => SMALL[w] !== undefined && SMALL[w] < 10)) return Number(words.map((w) => SMALL[w]).join(""));
  let total = 0;
  let current = 0;
  let seen = false;
  let decimals = "";
  let afterPoint = false;
  for (const word of words) {
    if (afterPoint) {
      if (SMALL[word] === undefined || SMALL[word] > 9) return Number.NaN;
      decimals += SMALL[word];
    } else if (word === "point") afterPoint = true;
    else if (/^\d/.test(word)) {
      current += Number(word);
      seen = true;
    } else if (SMALL[word] !== undefined) {
      current += SMALL[word];
      seen = true;
    } else if (word === "hundred") {
      current = (seen ? current : 1) * 100;
      seen = true;
    } else {
      total += (seen ? current : 1) * SCALES[word];
      current = 0;
      seen = true;
    }
  }
  if (!seen) return Number.NaN;
  return total + current + (decimals ? Number(`0.${decimals}`) : 0);
}
