import type { Logger } from "pino";
import { CircuitOpenError, ModelCancelledError, ModelError, ModelResponseError } from "../../errors.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Answer, Citation } from "../../types.js";
import { citationLine } from "../citations.js";
import type { AnswerWriter, GroundedDraft } from "../seams.js";
import { chineseDate } from "../validity.js";
import { verifyAnswer } from "../verify.js";
import type { ChatMessage, ChatModel } from "./chat-model.js";
import { fill, type Prompts } from "./prompts.js";
import { VerifiedStream } from "./verified-stream.js";

/** Counts of what the model path did, for logs and /readyz. */
export interface ModelStats {
  modelAnswers: number;
  verificationFailures: number;
  repairs: number;
  /** Extractive answers given because the model failed, was refused or was unreachable. */
  fallbacks: number;
  /** Fallbacks caused by a bug of ours rather than the endpoint; each is logged with its stack. */
  internalErrors: number;
  /** Searches that ran on keywords alone because the embeddings endpoint failed. */
  embeddingFallbacks: number;
}

export const newModelStats = (): ModelStats => ({
  modelAnswers: 0,
  verificationFailures: 0,
  repairs: 0,
  fallbacks: 0,
  internalErrors: 0,
  embeddingFallbacks: 0,
});

/** A reply longer than this is refused: answers here are a few sentences, and a runaway reply must not be stored or sent. */
export const MAX_ANSWER_CHARACTERS = 1500;
/** The matching cap the endpoint enforces; a reply cut by it ends with finish_reason "length" and is refused. */
export const MAX_ANSWER_TOKENS = 1200;

export interface ModelWriterOptions {
  model: ChatModel;
  prompts: Prompts;
  today: () => string;
  logger?: Logger;
  stats?: ModelStats;
  maxAnswerCharacters?: number;
  /** The verifier; replaceable so a failing verifier can be tested. */
  verify?: typeof verifyAnswer;
}

const STATUS_LABEL = { active: "有效", ended: "已到期", undated: "未写明期限" } as const;
export const BRIEF_NOTICE = "（智能问答服务暂时不可用，以下为依据条款原文的简要回答。）";

/** The numbered clauses as the model sees them: source, path, pages, and a validity status computed by code. */
export function clauseBlock(citations: Citation[], knowledgeBase: KnowledgeBase): string {
  return citations
    .map((c) => {
      const document = knowledgeBase.documentsById.get(c.documentId);
      const source = [`《${document?.shortTitle ?? c.document}》`, c.docNumber, c.issuer, c.date].filter(Boolean).join("，");
      const status = `${STATUS_LABEL[c.status]}${c.validity ? `（${c.validity}）` : ""}`;
      return `[${c.marker}] 来源：${source}\n条款位置：${c.path}，第${c.pages.join("、")}页\n有效状态：${status}\n原文：${c.text}`;
    })
    .join("\n\n");
}

function withSources(text: string, citations: Citation[], knowledgeBase: KnowledgeBase): string {
  const sources = citations.map((c) => citationLine(c, knowledgeBase.documentsById.get(c.documentId)?.shortTitle));
  return [text.trim(), "", "依据：", ...sources].join("\n");
}

/** Ended measures must be said to have ended; code adds it when the model did not. */
function ensureValidityStated(text: string, citations: Citation[]): string {
  const cited = new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const missing = citations.filter((c) => c.status === "ended" && cited.has(c.marker) && c.validity);
  if (!missing.length || /已到期|已过期|已结束|已截止|已失效/.test(text)) return text;
  return `${text.trim()}\n${missing.map((c) => `注意：[${c.marker}]${c.validity}`).join("\n")}`;
}

/** Why the model path gave up, for the answer's fallbackReason. */
function fallbackReason(error: ModelError): string {
  if (error instanceof CircuitOpenError) return "circuit-open";
  if (error instanceof ModelResponseError && error.reason === "too-long") return "too-long";
  if (error instanceof ModelCancelledError) return "cancelled";
  return `model-error: ${error.message}`;
}

/**
 * Writes the answer with a chat model over the numbered clauses, verifies it,
 * repairs it once, and otherwise falls back to the extractive answer, so an
 * unsupported figure never reaches a user. While the model writes, only
 * verified sentences are passed to `onToken`.
 */
export function createModelWriter({
  model,
  prompts,
  today,
  logger,
  stats = newModelStats(),
  maxAnswerCharacters = MAX_ANSWER_CHARACTERS,
  verify = verifyAnswer,
}: ModelWriterOptions): AnswerWriter {
  return async (draft: GroundedDraft): Promise<Answer> => {
    const { extractive, signal, knowledgeBase } = draft;
    const citations = extractive.citations;
    const date = chineseDate(today());
    const clauses = new Map(citations.map((c) => [c.marker, c.text]));
    const supplied = [date, ...citations.map((c) => c.validity ?? "")].join("\n");
    const check = (answer: string) => verify({ answer, clauses, supplied, secret: prompts.system });
    const messages: ChatMessage[] = [
      { role: "system", content: prompts.system },
      { role: "user", content: fill(prompts.answer, { today: date, measures: clauseBlock(citations, knowledgeBase), question: draft.question }) },
    ];
    const fallback = (reason: string, brief: boolean): Answer => {
      stats.fallbacks++;
      return {
        ...extractive,
        text: brief ? `${BRIEF_NOTICE}\n${extractive.text}` : extractive.text,
        notices: brief ? [{ kind: "brief", text: BRIEF_NOTICE }, ...extractive.notices] : extractive.notices,
        fallbackReason: reason,
        draftRejected: true,
        promptVersion: prompts.version,
      };
    };
    const modelAnswer = (text: string, draftRejected: boolean): Answer => {
      stats.modelAnswers++;
      const body = ensureValidityStated(text, citations);
      return {
        ...extractive,
        body: body.trim(),
        notices: [],
        text: withSources(body, citations, knowledgeBase),
        mode: "llm",
        promptVersion: prompts.version,
        ...(draftRejected ? { draftRejected: true } : {}),
      };
    };
    const complete = async (onToken?: (token: string) => void) => {
      const text = await model.complete({ messages, signal, maxTokens: MAX_ANSWER_TOKENS, onToken });
      if (text.length > maxAnswerCharacters) throw new ModelResponseError("too-long", `the model's answer passed ${maxAnswerCharacters} characters`);
      return text;
    };

    try {
      const stream = draft.onToken
        ? new VerifiedStream({ check: (text) => check(text).ok, emit: draft.onToken, maxCharacters: maxAnswerCharacters })
        : undefined;
      let text = await complete(stream && ((token) => stream.push(token)));
      let verification = check(text);
      if (verification.ok) {
        stream?.finish();
        return modelAnswer(text, stream?.rejected ?? false);
      }
      stats.verificationFailures++;
      logger?.warn({ problems: verification.problems }, "model answer failed verification; asking for a repair");
      messages.push(
        { role: "assistant", content: text },
        { role: "user", content: fill(prompts.repair, { problems: verification.problems.map((p) => `- ${p}`).join("\n") }) },
      );
      text = await complete();
      verification = check(text);
      if (!verification.ok) {
        stats.verificationFailures++;
        logger?.warn({ problems: verification.problems }, "repaired model answer failed verification; using the extractive answer");
        return fallback("verification-failed", false);
      }
      stats.repairs++;
      return modelAnswer(text, true);
    } catch (error) {
      if (!(error instanceof ModelError)) {
        // A bug of ours (in verification, prompts, rendering) is not an outage: log it as one, count it apart, and still answer.
        stats.internalErrors++;
        logger?.error({ err: error }, "model writer failed with an internal error; answering extractively");
        return fallback("internal-error", false);
      }
      const reason = fallbackReason(error);
      logger?.warn({ reason, code: error.code }, "model answer unavailable; answering extractively");
      return fallback(reason, !(error instanceof ModelResponseError && error.reason === "too-long"));
    }
  };
}
