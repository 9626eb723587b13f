/**
 * The seams around the one `ask`: what a channel calls, and what plugs into it
 * (a model writer, question rewriters, a relevance judge, the question
 * library). Declared here, apart from the implementation in core/ask.ts, so
 * the parts that plug in do not import the core.
 */
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Answer, RefusalReason, SearchHit, Turn } from "../types.js";

/** Hands a grounded draft to a model; returns undefined to keep the extractive answer. */
export type AnswerWriter = (draft: GroundedDraft) => Promise<Answer | undefined>;

export interface GroundedDraft {
  /** The knowledge base the extractive answer was made from: a publish meanwhile does not mix two. */
  knowledgeBase: KnowledgeBase;
  question: string;
  resolvedQuestion: string;
  history: Turn[];
  extractive: Answer;
  hits: SearchHit[];
  onToken?: (token: string) => void;
  /** Aborted when nobody waits for the answer any more (a closed stream): the model call is cancelled. */
  signal?: AbortSignal;
}

/** Rewrites a question into the documents' terms, a few ways; each is searched and the results fused. */
export type QueryExpander = (question: string, history: Turn[]) => Promise<string[]>;

/** Says whether clauses answer a question; undefined is no opinion. */
export type AnswerabilityJudge = (question: string, clauses: string[]) => Promise<"answer" | "partial" | "none" | undefined>;

/** Rewrites a follow-up into a standalone question; undefined keeps the rules' resolution. */
export type FollowUpRewriter = (question: string, history: Turn[]) => Promise<string | undefined>;

/**
 * Staff-taught answers (issue 12's question library): a question linked to
 * clauses, a reviewed answer or a refusal, looked up before search.
 */
export interface LibraryLookup {
  /** The entry whose question is close enough to this one to answer from it. */
  match(question: string): LibraryMatch | undefined;
  /** Measures whose taught questions are worded like this one: their questions count as extra text of the measure. */
  related?(question: string): RelatedMeasure[];
}

/** A measure a taught question links to, found because that question is worded like the one asked. */
export interface RelatedMeasure {
  measureId: string;
  entryId: string;
  /** The taught question: extra searchable text of the measure. */
  question: string;
  /** How closely the taught question matches the asked one, relative to the best (0..1]. */
  score: number;
}

export interface LibraryMatch {
  entryId: string;
  measureIds: string[];
  /** A reviewed answer, verified when it was saved; cites the linked measures as [1], [2]… in order. */
  answer?: string;
  refusal?: RefusalReason;
}

export interface AskCallOptions {
  /** Receives draft tokens as a model writes them; the returned Answer is what counts. */
  onToken?: (token: string) => void;
  /** Abort it when the asker leaves, to cancel the model call. */
  signal?: AbortSignal;
}

export type Ask = (question: string, history?: Turn[], options?: AskCallOptions) => Promise<Answer>;
