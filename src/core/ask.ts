import type { Logger } from "pino";
import { documentAnswer, findAskedDocument } from "../answer/document-answer.js";
import { composeAnswer } from "../answer/compose.js";
import { extractiveAnswer } from "../answer/extractive.js";
import { looksLikeInjection } from "../answer/injection.js";
import { type RefusalReason, refusalText } from "../answer/refusal.js";
import { resolveFollowUp } from "../conversation/follow-up.js";
import { regionCovers } from "../corpus/regions.js";
import { AppError } from "../errors.js";
import { analyseQuery } from "../search/query.js";
import type { Answer, SearchHit, Turn } from "../types.js";
import type { KnowledgeBase } from "./knowledge-base.js";

export const MAX_QUESTION_CHARS = 2000;

/**
 * The least share of a question's weighted concepts the best clause must contain
 * to be answered from. Calibrated on the project's question set (answerable
 * and out-of-scope questions): see `npm run eval -- --calibrate`.
 */
export const MIN_COVERAGE = 0.41;

/** Hands a grounded draft to a model; returns undefined to keep the extractive answer. */
export type AnswerWriter = (draft: GroundedDraft) => Promise<Answer | undefined>;

export interface GroundedDraft {
  question: string;
  resolvedQuestion: string;
  history: Turn[];
  extractive: Answer;
  hits: SearchHit[];
  onToken?: (token: string) => void;
  /** Aborted when nobody waits for the answer any more (a closed stream): the model call is cancelled. */
  signal?: AbortSignal;
}

/** Rewrites a follow-up into a standalone question; undefined keeps the rules' resolution. */
export type FollowUpRewriter = (question: string, history: Turn[]) => Promise<string | undefined>;

export interface AskOptions {
  knowledgeBase: KnowledgeBase;
  today: () => string;
  logger?: Logger;
  writer?: AnswerWriter;
  rewriter?: FollowUpRewriter;
  minCoverage?: number;
}

export interface AskCallOptions {
  /** Receives draft tokens as a model writes them; the returned Answer is what counts. */
  onToken?: (token: string) => void;
  /** Abort it when the asker leaves, to cancel the model call. */
  signal?: AbortSignal;
}

/** How well the knowledge base covers a question: the best coverage among the top few clauses. */
export function answerability(hits: SearchHit[]): number {
  return Math.max(0, ...hits.slice(0, 3).map((hit) => hit.coverage));
}

export type Ask = (question: string, history?: Turn[], options?: AskCallOptions) => Promise<Answer>;

function refuse(reason: RefusalReason, resolvedQuestion: string, detail?: Parameters<typeof refusalText>[1]): Answer {
  return composeAnswer(
    { body: refusalText(reason, detail), citations: [], confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason } },
    new Map(),
  );
}

/** The one entry point every channel calls. */
export function createAsk({ knowledgeBase, today, logger, writer, rewriter, minCoverage = MIN_COVERAGE }: AskOptions): Ask {
  const { keywordIndex } = knowledgeBase.index;
  const covered = [...new Set(knowledgeBase.corpus.documents.map((d) => d.region))];

  return async function ask(rawQuestion, history = [], options = {}) {
    const question = rawQuestion.replace(/\s+/g, " ").trim();
    if (!question) throw new AppError("QUESTION_EMPTY", "The question is empty.", { userMessage: "请输入您的问题。" });
    if (question.length > MAX_QUESTION_CHARS) return refuse("too-long", question.slice(0, 80));
    if (looksLikeInjection(question)) return refuse("injection", question);

    const resolved = resolveFollowUp(question, history);
    if (rewriter && resolved.carried) {
      const rewritten = await rewriter(question, history);
      if (rewritten) resolved.text = `${rewritten} ${resolved.focus}`;
    }
    const analysed = analyseQuery(resolved.text, keywordIndex);
    const asked = analysed.regions;
    if (asked.length && !asked.some((region) => knowledgeBase.corpus.documents.some((d) => regionCovers(d.region, region) || regionCovers(region, d.region)))) {
      return refuse("other-region", resolved.text, { regions: asked, covered });
    }

    const document = findAskedDocument(question, analysed.concepts, knowledgeBase);
    if (document) return documentAnswer(document, knowledgeBase, resolved.text);

    const hits = await knowledgeBase.retriever.search({ text: resolved.text, regions: asked, limit: 8 });
    const coverage = answerability(hits);
    if (coverage < minCoverage || analysed.concepts.length === 0) {
      logger?.debug({ question, coverage }, "refused: no clause covers the question");
      return refuse("no-match", resolved.text);
    }
    const focus = resolved.carried ? analyseQuery(resolved.focus, keywordIndex).concepts : analysed.concepts;
    const extractive = extractiveAnswer({
      question: resolved.focus,
      regions: asked,
      resolvedQuestion: resolved.text,
      hits,
      focus,
      context: analysed.concepts,
      knowledgeBase,
      today: today(),
    });
    if (!writer) return extractive;
    return (await writer({ question, resolvedQuestion: resolved.text, history, extractive, hits, onToken: options.onToken, signal: options.signal })) ?? extractive;
  };
}
