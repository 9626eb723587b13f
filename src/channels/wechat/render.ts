import type { DispatchResult } from "../../core/dispatch.js";
import type { Answer } from "../../types.js";
import { splitAtBoundaries } from "../split-text.js";

export const TOO_LONG_LINE = "（回答过长，以上只发送了前面部分；完整内容请在政策问答网页工作台查询，或拨打12345政务服务便民热线。）";

export interface MessageLimits {
  /** Characters in one WeChat message. */
  maxChars: number;
  /** Messages for one answer: past this a reply floods the chat. */
  maxParts: number;
}

/**
 * The answer as WeChat messages, rendered from its parts: the body and its
 * notices, suggestions when there are any, then 【依据】 with one numbered line
 * a clause. Plain text, no markdown. A long body is cut so the whole reply
 * fits in `maxParts` messages, with a line saying it was cut; the sources are
 * always sent.
 */
export function renderMessages(answer: Answer, shortTitles: ReadonlyMap<string, string>, limits: MessageLimits): string[] {
  const body = answerBody(answer);
  const sources = sourcesBlock(answer, shortTitles);
  const whole = splitAtBoundaries(sources ? `${body}\n\n${sources}` : body, limits.maxChars);
  if (whole.length <= limits.maxParts) return whole;

  const sourceParts = sources ? splitAtBoundaries(sources, limits.maxChars) : [];
  // At least one part of the body and the too-long line, then as much of the sources as fits.
  const bodyRoom = Math.max(1, limits.maxParts - sourceParts.length - 1);
  const bodyParts = splitAtBoundaries(body, limits.maxChars).slice(0, bodyRoom);
  return [...bodyParts, TOO_LONG_LINE, ...sourceParts].slice(0, limits.maxParts);
}

/** A dispatch result as WeChat text messages: the answer's parts, a fixed reply as it is, nothing for silence. */
export function renderWith(shortTitles: ReadonlyMap<string, string>, limits: MessageLimits): (result: DispatchResult) => string[] {
  return (result) => {
    if (result.kind === "answer") return renderMessages(result.answer, shortTitles, limits);
    return result.kind === "silent" ? [] : [result.text];
  };
}

function answerBody(answer: Answer): string {
  const lines = [answer.body, ...answer.notices.map((notice) => notice.text)];
  if (answer.suggestions.length) lines.push("", `您可以试着问：${answer.suggestions.map((s) => `“${s}”`).join("；")}`);
  return lines.join("\n").trim();
}

function sourcesBlock(answer: Answer, shortTitles: ReadonlyMap<string, string>): string | undefined {
  if (answer.refused || !answer.citations.length) return undefined;
  const lines = answer.citations.map((c) => {
    const title = `《${shortTitles.get(c.documentId) ?? c.document}》`;
    return `${c.marker}. ${title}${c.docNumber ? `（${c.docNumber}）` : ""} ${c.path}${c.status === "ended" ? " 已到期" : ""}`;
  });
  return `【依据】\n${lines.join("\n")}`;
}
