import type { Logger } from "pino";
import { ModelError } from "../../errors.js";
import type { Turn } from "../../types.js";
import type { AnswerabilityJudge, FollowUpRewriter, QueryExpander } from "../seams.js";
import type { ChatModel } from "./chat-model.js";
import { fill, type Prompts } from "./prompts.js";

const MAX_REWRITES = 3;
const MAX_REWRITE_CHARS = 60;

interface ReadingOptions {
  model: ChatModel;
  prompts: Prompts;
  logger?: Logger;
}

const failed = (logger: Logger | undefined, what: string) => (error: unknown) => {
  if (error instanceof ModelError) logger?.warn({ reason: error.message, code: error.code }, `${what} failed; reading the question by rule`);
  else logger?.error({ err: error }, `${what} failed with an internal error; reading the question by rule`);
  return undefined;
};

/** The conversation so far as the prompts show it: the last three turns as they were understood. */
const recentTurns = (history: Turn[]) =>
  history
    .slice(-3)
    .map((t) => t.resolvedQuestion ?? t.question)
    .join("\n");

/** A standalone question is one line; more means the model is answering instead of rewriting. */
const REWRITE_MAX_TOKENS = 120;

/** Rewrites a short follow-up into a standalone question with the model; undefined keeps the rule-based resolution. */
export function createModelRewriter({ model, prompts, logger }: ReadingOptions): FollowUpRewriter {
  return async (question: string, history: Turn[]) => {
    const text = await model
      .complete({
        maxTokens: REWRITE_MAX_TOKENS,
        messages: [
          { role: "system", content: prompts.system },
          { role: "user", content: fill(prompts.rewrite, { history: recentTurns(history), question }) },
        ],
      })
      .catch(failed(logger, "follow-up rewrite"));
    const rewritten = text?.trim().split("\n")[0]?.trim();
    return rewritten && rewritten.length <= 200 ? rewritten : undefined;
  };
}

/**
 * Asks the model for the question in the documents' terms, a few ways; each is
 * searched and the results are fused. Only short single-line rewrites are kept:
 * anything longer is the model answering, not rewriting.
 */
export function createModelExpander({ model, prompts, logger }: ReadingOptions): QueryExpander {
  return async (question: string, history: Turn[]) => {
    const text = await model
      .complete({
        maxTokens: 200,
        messages: [
          { role: "system", content: prompts.system },
          {
            role: "user",
            content: fill(prompts.expand, { history: recentTurns(history), question }),
          },
        ],
      })
      .catch(failed(logger, "question rewrite"));
    if (!text) return [];
    return text
      .split("\n")
      .map((line) => line.replace(/^\s*(\d+[.、)]|[-*•])\s*/, "").trim())
      .filter((line) => line && line.length <= MAX_REWRITE_CHARS && line !== question)
      .slice(0, MAX_REWRITES);
  };
}

/** Asks the model whether the numbered clauses answer the question; anything but one of its three words counts as no opinion. */
export function createModelJudge({ model, prompts, logger }: ReadingOptions): AnswerabilityJudge {
  return async (question, clauses) => {
    const text = await model
      .complete({
        maxTokens: 5,
        messages: [
          { role: "system", content: prompts.system },
          { role: "user", content: fill(prompts.judge, { question, clauses: clauses.map((c, i) => `[${i + 1}] ${c}`).join("\n") }) },
        ],
      })
      .catch(failed(logger, "answerability judgement"));
    const verdict = text
      ?.trim()
      .toLowerCase()
      .match(/^(answer|partial|none)\b/)?.[1];
    return verdict as "answer" | "partial" | "none" | undefined;
  };
}
