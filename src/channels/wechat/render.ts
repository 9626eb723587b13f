import type { Answer } from "../../types.js";

/** Plain text for WeChat: the direct answer, then 【依据】 with one numbered line a clause. No markdown. */
export function answerPlainText(answer: Answer, shortTitles: Map<string, string>): string {
  const body = answer.text.split(/\n依据：\n/)[0].trim();
  if (answer.refused || !answer.citations.length) return body;
  const sources = answer.citations.map((c) => {
    const title = `《${shortTitles.get(c.documentId) ?? c.document}》`;
    return `${c.marker}. ${title}${c.docNumber ? `（${c.docNumber}）` : ""} ${c.path}${c.status === "ended" ? " 已到期" : ""}`;
  });
  return `${body}\n\n【依据】\n${sources.join("\n")}`;
}

/**
 * Splits a long reply into messages under `limit` characters, at line or
 * sentence boundaries, hard-cutting only a sentence longer than the limit.
 */
export function splitMessage(text: string, limit = 1500): string[] {
  if (text.length <= limit) return [text];
  const units = text.split(/(?<=\n)|(?<=[。；！？])/);
  const messages: string[] = [];
  let current = "";
  for (let unit of units) {
    while (unit.length > limit) {
      if (current) messages.push(current.trimEnd());
      current = "";
      messages.push(unit.slice(0, limit));
      unit = unit.slice(limit);
    }
    if (current.length + unit.length > limit) {
      messages.push(current.trimEnd());
      current = "";
    }
    current += unit;
  }
  if (current.trim()) messages.push(current.trimEnd());
  return messages.filter(Boolean);
}
