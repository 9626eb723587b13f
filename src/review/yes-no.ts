import { readFileSync } from "node:fs";
import { queryWords } from "../search/tokenize.js";

interface YesNoData {
  pivots: Record<string, string[]>;
  any: string[];
  verdicts: string[];
}

const data = JSON.parse(readFileSync(new URL("./yes-no.json", import.meta.url), "utf8")) as YesNoData;
const PIVOTS = Object.keys(data.pivots).sort((a, b) => b.length - a.length);
const literal = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** 能不能, 有没有, 可不可以, 需不需要: the verb, a negation, the verb again. */
const A_NOT_A = /([能会是有要可算用收管需])[不没]\1(?:以|要)?/;
const WHETHER = /(是否|能否|可否|有无)/;
const WHETHER_PIVOT: Record<string, string> = { 能否: "能", 可否: "可", 有无: "有", 是否: "" };
/** Ends in 吗 (or 么), whatever punctuation follows. */
const MA = /[吗么嘛][\s？?。！!~～…]*$/;
const PIVOT_WORD = new RegExp(PIVOTS.map(literal).join("|"), "g");
const CLAUSE_END = /[，,。？?！!；;吗么嘛]/;
/** "文件没有写明这些措施的实施期限。" says what the documents lack, not yes or no. */
const NOT_STATED = /文件中?没有写明[^。\n]*[。\n]?/g;

/** What a yes/no question asks: the verb it turns on ("" for 是否 without one) and what it asks it of. */
export interface YesNoQuestion {
  pivot: string;
  /** The words after the verb, up to the end of that clause: 申请 in 稳岗返还今年还能申请吗. */
  predicate: string[];
}

const predicateAfter = (question: string, at: number) => queryWords(question.slice(at).split(CLAUSE_END)[0]);

/** The yes/no a question asks, or undefined when it asks none. */
export function yesNoQuestion(question: string): YesNoQuestion | undefined {
  const repeated = A_NOT_A.exec(question);
  if (repeated) return { pivot: repeated[1] === "需" ? "需要" : repeated[1], predicate: predicateAfter(question, repeated.index + repeated[0].length) };
  const whether = WHETHER.exec(question);
  if (whether) return { pivot: WHETHER_PIVOT[whether[1]], predicate: predicateAfter(question, whether.index + whether[0].length) };
  if (!MA.test(question)) return undefined;
  // The verb nearest the 吗 is the one asked about (我是哈密的个体户，能…吗 turns on 能).
  const last = [...question.matchAll(PIVOT_WORD)].at(-1);
  return last ? { pivot: last[0], predicate: predicateAfter(question, last.index + last[0].length) } : { pivot: "", predicate: [] };
}

/**
 * True when `answer` (its body, before the sources) says yes or no: with the question's verb or its negation, a
 * validity verdict (有效期内, 已到期), or a clause that speaks of what was asked (容缺受理 for 能容缺受理吗) — an
 * extractive answer says yes by quoting the clause that does it.
 */
export function saysYesOrNo(answer: string, asked: YesNoQuestion): boolean {
  const body = answer.split("\n\n依据：")[0].replace(NOT_STATED, "");
  const words = [...(data.pivots[asked.pivot] ?? data.any), ...data.verdicts, ...asked.predicate];
  return words.some((word) => body.includes(word));
}
