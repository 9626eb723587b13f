import type { Answer, Citation } from "../types.js";

/** WeChat cuts a text reply at 2,048 bytes of UTF-8. */
export const WECHAT_TEXT_BYTES = 2048;

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const SENTENCE_END = /(?<=[。！？；!?;\n])/u;

/**
 * A complete short answer for one passive reply: the answer's lead in whole sentences (figures included, as
 * written), the documents those sentences cite with their 文号, and the link to the full answer. Nothing is
 * cut inside a sentence; the sentences that do not fit are on the page behind the link.
 */
export function shortAnswer(answer: Answer, link: string | undefined, maxBytes = WECHAT_TEXT_BYTES): string {
  const tail = link ? `完整答案和条款原文：${link}` : "";
  const sentences = answer.body
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter(Boolean);
  const kept: string[] = [];
  const cited = new Set<number>();
  const compose = (lines: string[], markers: Set<number>) =>
    [lines.join("").replace(/\[\d+\]/g, ""), sources(answer.citations, markers), tail].filter(Boolean).join("\n");
  for (const sentence of sentences) {
    const markers = new Set([...cited, ...[...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))]);
    if (bytes(compose([...kept, sentence], markers)) > maxBytes) break;
    kept.push(sentence);
    for (const marker of markers) cited.add(marker);
  }
  // Not even the first sentence fits: its clauses up to the last comma that fits, said to go on behind the link.
  if (!kept.length && sentences.length) {
    const first = sentences[0].replace(/\[\d+\]/g, "");
    let cut = first;
    while (cut && bytes(compose([`${cut}……`], cited)) > maxBytes) cut = cut.slice(0, Math.max(0, cut.search(/[，,、][^，,、]*$/u)));
    if (cut) kept.push(`${cut}……`);
  }
  const first = answer.citations[0]?.marker;
  if (!cited.size && first !== undefined && bytes(compose(kept, new Set([first]))) <= maxBytes) cited.add(first);
  return compose(kept, cited);
}

function sources(citations: Citation[], markers: Set<number>): string {
  const named = [...new Set(citations.filter((c) => markers.has(c.marker)).map((c) => `《${c.document}》${c.docNumber ? `（${c.docNumber}）` : ""}`))];
  return named.length ? `依据：${named.join("；")}` : "";
}
