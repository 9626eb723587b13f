import { flatten } from "./verify/flatten.js";
import { containsIdentifier, type Identifier, readIdentifiers } from "./verify/identifiers.js";
import { type Quantity, readQuantities, rewriteFigures, sameQuantity, showQuantity } from "./verify/quantities.js";
import { vocabulary } from "./verify/vocabulary.js";
import { leftoverNumerals, readWording } from "./verify/wording.js";

export { parseHanNumeral } from "./verify/numerals.js";

/** What a text states, read once: its flattened form, identifiers, promise and contact words, figures, and numerals left unread. */
interface Reading {
  flat: string;
  identifiers: Identifier[];
  promises: string[];
  contacts: string[];
  quantities: Quantity[];
  leftovers: ReturnType<typeof leftoverNumerals>;
}

function read(text: string): Reading {
  const flat = flatten(text);
  const { identifiers, rest: withoutIdentifiers } = readIdentifiers(flat);
  const { promises, contacts, rest: withoutWords } = readWording(withoutIdentifiers);
  const { quantities, rest } = readQuantities(rewriteFigures(withoutWords));
  return { flat, identifiers, promises, contacts, quantities, leftovers: leftoverNumerals(rest) };
}

/**
 * Puts figures in one spelling so the answer and the clause can be compared:
 * 百分之三十 → 30%, 九成 → 90%, 八五折 → 8.5折, 两万元 → 20000元, 50万元 → 500000元,
 * 一个工作日 → 1工作日, 三天 → 3日, and digits of any script folded to 0-9.
 */
export function normaliseFigures(text: string): string {
  return rewriteFigures(flatten(text));
}

/** Figures as number-with-unit tokens: "30%", "1工作日", "2023年", "0.39元", "500000元", "8折". */
export function figures(text: string): string[] {
  return [...new Set(read(text).quantities.map(showQuantity))];
}

export interface VerificationInput {
  answer: string;
  /** Texts of the numbered clauses given to the model, by marker (1-based). */
  clauses: Map<number, string>;
  /** Text the code itself supplied (today's date, validity sentences): what it states is allowed too. */
  supplied: string;
  /** Instructions that must never be echoed to a user (the system prompt). */
  secret?: string;
}

export interface Verification {
  ok: boolean;
  problems: string[];
}

/** Numbering an answer's own list uses (1. 2、 （一）) is not a figure. */
const LIST_NUMBERING = /(^|\n)\s*(?:\d{1,2}[.、)]|[(（]?[一二三四五六七八九十]{1,2}[)）、])\s*/g;

/** What one sentence states that the clauses it cites (with what the code supplied) do not. */
function unsupported(sentence: Reading, source: Reading): string[] {
  const problems: string[] = [];
  for (const identifier of sentence.identifiers) {
    if (!containsIdentifier(source.flat, source.identifiers, identifier)) problems.push(`${identifier.kind}“${identifier.value}”在所引条款中没有出现`);
  }
  for (const word of sentence.promises) if (!source.flat.includes(word)) problems.push(`“${word}”这样的承诺在所引条款中没有出现`);
  for (const word of sentence.contacts) if (!source.flat.includes(word)) problems.push(`“${word}”这样的联系或付款方式在所引条款中没有出现`);
  for (const quantity of sentence.quantities) {
    if (!source.quantities.some((other) => sameQuantity(quantity, other))) problems.push(`“${showQuantity(quantity)}”在所引条款中没有出现`);
  }
  for (const { run, before, after } of sentence.leftovers) {
    // A numeral inside a word the clause itself uses (第三批, 十四五) is quoted, not stated.
    const around = [before + run, run + after].filter((text) => text.length > run.length && !text.includes("□"));
    if (!(around.length ? around : [run]).some((text) => source.flat.includes(text))) problems.push(`“${before}${run}${after}”中的数字无法与所引条款核对`);
  }
  return problems;
}

/** Merges readings, for a sentence that cites several clauses. */
const merge = (readings: Reading[]): Reading => ({
  flat: readings.map((r) => r.flat).join("\n"),
  identifiers: readings.flatMap((r) => r.identifiers),
  promises: readings.flatMap((r) => r.promises),
  contacts: readings.flatMap((r) => r.contacts),
  quantities: readings.flatMap((r) => r.quantities),
  leftovers: [],
});

/**
 * Checks a model's (or a reviewer's) answer before anyone sees it, as an
 * allow-list: every [n] names a clause that was given, and everything a
 * sentence states that could mislead — each figure in any script or form with
 * its unit, each link, domain, address, number or latin token, each promise or
 * payment word, and any numeral left unread — is stated by a clause that
 * sentence cites (or by what the code supplied). A sentence without a marker
 * leans on the next one's; trailing ones on every clause the answer cites.
 */
export function verifyAnswer({ answer, clauses, supplied, secret }: VerificationInput): Verification {
  const problems: string[] = [];
  if (secret && leaksSecret(answer, secret)) problems.push("答案复述了系统设定，这不允许");
  const text = answer.normalize("NFKC");
  const markers = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (!markers.length) problems.push("答案没有标注任何条款编号");
  for (const marker of new Set(markers)) if (!clauses.has(marker)) problems.push(`引用了不存在的条款编号[${marker}]`);

  const readings = new Map([...clauses].map(([n, clause]) => [n, read(clause)]));
  const fromCode = read(supplied);
  const citedAnywhere = [...new Set(markers)].filter((n) => clauses.has(n));
  // A 。 before a Han domain suffix that ends the run of Han (减免。中国 ) is a dot, not the end of a sentence.
  const sentences = text.split(new RegExp(`(?<=[。；！？;!?\\n])(?!(?:${vocabulary.hanDomainSuffixes.join("|")})(?!\\p{Script=Han}))`, "u"));
  let pending: Reading[] = [];
  sentences.forEach((sentence, i) => {
    const cited = [...new Set([...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].filter((n) => clauses.has(n));
    const body = sentence.replace(/\[\d+\]/g, "").replace(LIST_NUMBERING, "$1");
    pending.push(read(body));
    if (!cited.length && i < sentences.length - 1) return;
    const leanOn = cited.length ? cited : citedAnywhere.length ? citedAnywhere : [...clauses.keys()];
    const source = merge([...leanOn.map((n) => readings.get(n)!), fromCode]);
    for (const reading of pending) problems.push(...unsupported(reading, source));
    pending = [];
  });
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
