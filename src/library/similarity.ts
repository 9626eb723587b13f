import { figures } from "../answer/verify.js";
import { findRegions } from "../corpus/regions.js";
import { normalizeQuestion } from "../search/normalize.js";

/**
 * How close a question must be to a taught one to be answered from it, as the
 * Jaccard overlap of their character bigrams (after `questionKey`). Calibrated in
 * similarity.test.ts: rewordings that keep the question (punctuation, particles,
 * 繁体, a word added or dropped) score 0.67 and up; among the 117 distinct
 * questions of the eval sets the closest pairs score 0.54 (单笔额度上限是多少 /
 * 单笔业务额度上限提高到多少) and 0.50 (原来要多少个工作日 / 现在要办多少个工作日,
 * which must not match). Related phrasings below this are helped by the
 * related-questions index instead (related-questions.ts).
 */
export const NEAR_DUPLICATE = 0.6;

/** Sentence-final particles and polite frames that change nothing about what is asked. */
const FILLER = /(请问|您好|你好|麻烦问一下|想问一下|想问下|问一下|我想知道|谢谢|吗|呢|呀|啊|吧|哈)/g;

/** The form two questions are compared in: normalised, lower-cased, filler, punctuation and spaces removed. */
export function questionKey(question: string): string {
  return normalizeQuestion(question)
    .toLowerCase()
    .replace(FILLER, "")
    .replace(/[^\p{L}\p{N}%.]/gu, "");
}

/** Character bigrams of a key (a one-character key is its own gram). */
export function keyGrams(key: string): Set<string> {
  const chars = [...key];
  if (chars.length < 2) return new Set(chars);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * What must be equal for two questions to be the same question however close
 * their wording: the places they name (哈密 vs 克拉玛依) and the figures (贷款100万 vs 200万).
 */
export function questionAnchors(question: string): string {
  const text = normalizeQuestion(question);
  return JSON.stringify([findRegions(text).sort(), figures(text).sort()]);
}
