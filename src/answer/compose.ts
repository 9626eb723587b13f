import type { Answer, Citation, Notice, PolicyDocument } from "../types.js";
import { citationLine } from "./citations.js";

export const HOTLINE_SENTENCE = "如需进一步咨询，请拨打12345政务服务便民热线。";
export const CLOSING_LINE = "以上内容摘自政策原文；具体办理以主管部门口径为准，也可拨打12345政务服务便民热线咨询。";

export interface AnswerParts {
  body: string;
  notices?: Notice[];
  citations: Citation[];
  suggestions?: string[];
  confidence: Answer["confidence"];
  mode: Answer["mode"];
  resolvedQuestion: string;
  refusal?: Answer["refusal"];
}

/**
 * Builds an Answer from its parts and renders `text`, the one full rendering
 * used by the JSONL contract, the terminal and the store. Channels render from
 * the parts instead.
 */
export function composeAnswer(parts: AnswerParts, documentsById: ReadonlyMap<string, PolicyDocument>): Answer {
  const notices = parts.notices ?? [];
  const suggestions = parts.suggestions ?? [];
  const refused = parts.confidence === "refuse";
  const lines = [parts.body.trim(), ...notices.map((n) => n.text)];
  if (parts.citations.length) {
    lines.push("", "依据：", ...parts.citations.map((c) => citationLine(c, documentsById.get(c.documentId)?.shortTitle)));
  }
  if (suggestions.length) lines.push("", `您可以试着问：${suggestions.map((s) => `“${s}”`).join("；")}`);
  if (!refused) lines.push("", CLOSING_LINE);
  return {
    text: lines.join("\n"),
    body: parts.body.trim(),
    notices,
    refused,
    ...(parts.refusal ? { refusal: parts.refusal } : {}),
    confidence: parts.confidence,
    citations: parts.citations,
    suggestions,
    mode: parts.mode,
    resolvedQuestion: parts.resolvedQuestion,
  };
}
