import { parseChineseNumber } from "../corpus/text.js";

const UNIT = "(?:%|个工作日|工作日|个月|月|年|日|小时|分钟|倍|折|万元|亿元|元|项|条|次|家|户|人|公里|吨|千瓦时)";

/**
 * Puts figures in one spelling so the answer and the clause can be compared:
 * 百分之三十 → 30%, 一个工作日 → 1个工作日, 三天 → 3日, full-width digits folded.
 */
export function normaliseFigures(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/百分之([零一二两三四五六七八九十百]+)/g, (_, n: string) => `${parseChineseNumber(n)}%`)
    .replace(/([零一二两三四五六七八九十百]+)(?=个?(?:工作日|月|小时|分钟|天|日|年|倍|折|项|条|次))/g, (match: string) => {
      const value = parseChineseNumber(match);
      return Number.isNaN(value) ? match : String(value);
    })
    .replace(/天/g, "日")
    .replace(/个(?=工作日|小时)/g, "");
}

/** Figures as number-with-unit tokens: "30%", "1工作日", "2023年", "0.39元". */
export function figures(text: string): string[] {
  const normalised = normaliseFigures(text);
  const tokens = normalised.match(new RegExp(`\\d+(?:\\.\\d+)?${UNIT}?`, "g")) ?? [];
  return [...new Set(tokens)];
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
 * was given, and every figure stated appears in a clause cited by the same
 * sentence (or in what the code supplied).
 */
export function verifyAnswer({ answer, clauses, supplied, secret }: VerificationInput): Verification {
  const problems: string[] = [];
  if (secret && leaksSecret(answer, secret)) problems.push("答案复述了系统设定，这不允许");
  const allowedSupplied = new Set(figures(supplied));
  const markers = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (!markers.length) problems.push("答案没有标注任何条款编号");
  for (const marker of new Set(markers)) if (!clauses.has(marker)) problems.push(`引用了不存在的条款编号[${marker}]`);

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
      if (!pool.has(figure) && !allowedSupplied.has(figure)) problems.push(`“${figure}”在所引条款中没有出现`);
    }
    pending = [];
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}

/** True when the answer repeats any substantial line of the secret text. */
function leaksSecret(answer: string, secret: string): boolean {
  const flat = answer.replace(/\s+/g, "");
  return secret
    .split("\n")
    .map((line) => line.replace(/^\s*\d+[.、]\s*/, "").replace(/\s+/g, ""))
    .filter((line) => line.length >= 16)
    .some((line) => flat.includes(line.slice(0, 16)));
}
