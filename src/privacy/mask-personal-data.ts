import { needsFolding, replaceFolded } from "./fold-digits.js";

/**
 * Personal numbers people type into a hotline question: an ID card, a mobile
 * or landline number, a bank card. Stored questions and logs keep the question
 * but not the person, so each is replaced by a label saying what was there,
 * in whatever digits it was written (full-width, split by invisible characters, Han numerals).
 */
// No pattern starts in a number's decimal places (0.4900000000000001 in a log line's score is no bank card).
const PATTERNS: Array<{ label: string; pattern: RegExp }> = [
  // Resident ID: 6-digit area, birth date, 3-digit sequence, a check digit that may be X.
  { label: "[身份证号]", pattern: /(?<![\dA-Za-z])(?<!\d\.)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g },
  // Bank cards: 16 to 19 digits, often typed in groups of four.
  { label: "[银行卡号]", pattern: /(?<!\d)(?<!\d\.)(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?!\d)/g },
  { label: "[手机号]", pattern: /(?<!\d)(?<!\d\.)(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g },
  // Landlines need the leading 0 of an area code, so 12345 and amounts are left alone.
  { label: "[电话]", pattern: /(?<!\d)(?<!\d\.)(?:[(（]0\d{2,3}[)）][ -]?|0\d{2,3}[ -]?)[2-9]\d{6,7}(?:[-转]\d{1,5})?(?!\d)/g },
];

export function maskPersonalData(text: string): string {
  // Every log line passes here: most have no long run of digits in another script, and are matched as they are.
  const fold = needsFolding(text);
  let masked = text;
  for (const { label, pattern } of PATTERNS) masked = fold ? replaceFolded(masked, pattern, label) : masked.replace(pattern, label);
  return masked;
}
