import { readFileSync } from "node:fs";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

let jieba: Jieba | undefined;
// Loading the dictionary takes ~100 ms; do it on first use, not at import.
const segmenter = () => (jieba ??= Jieba.withDict(dict));

let stopwordSet: Set<string> | undefined;
// Words that carry no topic, kept as data in stopwords.txt; read on first use, not at import.
const stopwords = () =>
  (stopwordSet ??= new Set(
    readFileSync(new URL("./stopwords.txt", import.meta.url), "utf8")
      .split(/\s+/)
      .filter((word) => word && !word.startsWith("#")),
  ));

const MEANINGFUL = /[\u3400-\u9fffA-Za-z0-9]/;

/** Words for indexing: jieba's search mode (overlapping words), lower-cased, stopwords out. */
export function indexWords(text: string): string[] {
  return segmenter()
    .cutForSearch(text, true)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 1 && MEANINGFUL.test(w) && !stopwords().has(w));
}

/** The words a question asks about: jieba's precise mode, stopwords and single characters out. */
export function queryWords(text: string): string[] {
  // No HMM: on short questions it invents words (气暖能) that no document has.
  return segmenter()
    .cut(text, false)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 1 && MEANINGFUL.test(w) && !stopwords().has(w));
}

/** General language's words of a text in order, nothing dropped: jieba's precise mode without HMM. */
export function words(text: string): string[] {
  return segmenter().cut(text, false);
}

/** Character bigrams of every Han run, so 检测费 meets 检验检测费用 on 检测 and 测费. */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\u3400-\u9fff]+/g) ?? []) {
    if (run.length === 1) continue;
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/** Index terms of a text: words (w:) and bigrams (b:) in one bag. */
export function indexTerms(text: string): string[] {
  return termsOf(text, indexWords(text));
}

/** Index terms when the text's index words are already cut. */
export function termsOf(text: string, words: string[]): string[] {
  return [...words.map((w) => `w:${w}`), ...bigrams(text).map((b) => `b:${b}`)];
}

/** A word's part of speech as jieba tags it (n, v, vn, m…), of its last part when jieba splits it. */
export function wordKind(word: string): string {
  return segmenter().tag(word, false).at(-1)?.tag ?? "";
}

/**
 * Words with jieba's part-of-speech tags, HMM on: a term the dictionary lacks (稳岗, 惠企贷) comes out whole, tagged
 * `x`, so a question's own compounds can be read; too inventive for search (气暖能), so only for reading topics.
 */
export function taggedWords(text: string): Array<{ word: string; tag: string }> {
  return segmenter().tag(text, true);
}
