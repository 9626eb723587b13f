import { type Answer, type AnswerOutcome, type Citation, NOT_STATED_REASONS, type Notice, type PolicyDocument } from "../types.js";
import { citationLine } from "./citations.js";

export const HOTLINE_SENTENCE = "如需进一步咨询，请拨打12345政务服务便民热线。";
export const CLOSING_LINE = "以上内容摘自政策原文；具体办理以主管部门口径为准，也可拨打12345政务服务便民热线咨询。";

export interface AnswerParts {
  body: string;
  notices?: Notice[];
  citations: Citation[];
  suggestions?: string[];
  /** What became of the question; read from `confidence` and `refusal` when left out. */
  outcome?: AnswerOutcome;
  confidence: Answer["confidence"];
  mode: Answer["mode"];
  resolvedQuestion: string;
  refusal?: Answer["refusal"];
}

/** The outcome parts describe: a refusal that quotes clauses for a not-stated reason is `not-stated`. */
export function outcomeOfParts(parts: Pick<AnswerParts, "outcome" | "confidence" | "refusal" | "citations">): AnswerOutcome {
  if (parts.outcome) return parts.outcome;
  if (parts.confidence !== "refuse") return parts.confidence === "low" ? "low" : "answered";
  const reason = parts.refusal?.reason;
  return reason && NOT_STATED_REASONS.includes(reason) && parts.citations.length ? "not-stated" : "refused";
}

/**
 * The one place the older flags are read from the outcome, so they cannot disagree with it. A not-stated
 * answer stays `refused` (the JSONL contract's scorer reads it so) but is written, not a refusal.
 */
export function outcomeFlags(outcome: AnswerOutcome, writer: "extractive" | "llm" = "extractive"): Pick<Answer, "outcome" | "refused" | "confidence" | "mode"> {
  const refused = outcome === "refused" || outcome === "not-stated";
  return {
    outcome,
    refused,
    confidence: refused ? "refuse" : outcome === "low" ? "low" : "answer",
    mode: outcome === "refused" ? "refusal" : writer,
  };
}

/** An answer that came from a staff-taught entry: `library` unless the entry refuses or its clauses do not state what was asked. */
export function fromLibrary(answer: Answer, entryId: string): Answer {
  const outcome = answer.outcome === "answered" || answer.outcome === "low" ? "library" : answer.outcome;
  return { ...answer, ...outcomeFlags(outcome, answer.mode === "llm" ? "llm" : "extractive"), libraryEntryId: entryId };
}

/**
 * Builds an Answer from its parts and renders `text`, the one full rendering
 * used by the JSONL contract, the terminal and the store. Channels render from
 * the parts instead.
 */
export function composeAnswer(parts: AnswerParts, documentsById: ReadonlyMap<string, PolicyDocument>): Answer {
  const notices = parts.notices ?? [];
  const suggestions = parts.suggestions ?? [];
  const flags = outcomeFlags(outcomeOfParts(parts), parts.mode === "llm" ? "llm" : "extractive");
  const refused = flags.refused;
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
    ...flags,
    ...(parts.refusal ? { refusal: parts.refusal } : {}),
    citations: parts.citations,
    suggestions,
    resolvedQuestion: parts.resolvedQuestion,
  };
}
