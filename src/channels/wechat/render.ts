import type { Answer } from "../../types.js";

/** Plain text for WeChat: the direct answer, then 【依据】 with one numbered line a clause. No markdown. */
export function answerPlainText(answer: Answer, shortTitles: Map<string, string>): string {
  const body = [answer.body, ...answer.notices.map((n) => n.text)].join("\n").trim();
  if (answer.refused || !answer.citations.length) return body;
  const sources = answer.citations.map((c) => {
    const title = `《${shortTitles.get(c.documentId) ?? c.document}》`;
    return `${c.marker}. ${title}${c.docNumber ? `（${c.docNumber}）` : ""} ${c.path}${c.status === "ended" ? " 已到期" : ""}`;
  });
  return `${body}\n\n【依据】\n${sources.join("\n")}`;
}
