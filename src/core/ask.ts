import type { Logger } from "pino";
import { type AnswerabilityThresholds, judge } from "../answer/answerability.js";
import { composeAnswer } from "../answer/compose.js";
import { documentAnswer, findAskedDocument } from "../answer/document-answer.js";
import { extractiveAnswer, statesAmount } from "../answer/extractive.js";
import { looksLikeInjection } from "../answer/injection.js";
import { OutOfScopeDetector } from "../answer/out-of-scope.js";
import { type RefusalDetail, type RefusalReason, refusalText } from "../answer/refusal.js";
import { carryOver, hasFollowUpCue, type ResolvedQuestion, understoodTurns } from "../conversation/follow-up.js";
import { regionCovers } from "../corpus/regions.js";
import { AppError } from "../errors.js";
import { describesAsker, matchAnswer, matchMeasures } from "../match/index.js";
import { searchText } from "../search/hybrid-retriever.js";
import { normalizeQuestion } from "../search/normalize.js";
import { analyseQuery } from "../search/query.js";
import type { Answer, Citation, SearchHit, Turn } from "../types.js";
import type { KnowledgeBase } from "./knowledge-base.js";

export const MAX_QUESTION_CHARS = 2000;

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
  thresholds?: AnswerabilityThresholds;
}

export interface AskCallOptions {
  /** Receives draft tokens as a model writes them; the returned Answer is what counts. */
  onToken?: (token: string) => void;
  /** Abort it when the asker leaves, to cancel the model call. */
  signal?: AbortSignal;
}

export type Ask = (question: string, history?: Turn[], options?: AskCallOptions) => Promise<Answer>;

/** A concept this rare (in at most ~3% of clauses) names a topic of its own, so the question stands alone. */
const SPECIFIC_TOPIC_WEIGHT = 3.5;
/** Asking for a sum of money, a rate or a quota, which a clause may not state. */
const ASKS_AMOUNT =
  /(多少钱|多少万|几万|多少元|额度|金额|比例|几个点|多少个点|百分之几|几成|费率|利率|贴息|补贴|补助|奖励).{0,8}(多少|几|怎么算)|(最多|最高|能)(能|可以)?(贷|借|补|领|拿|减|免).{0,4}(多少|几)|(贷|借|补|领)(款)?.{0,2}多少/;

const round = (value: number) => Math.round(value * 100) / 100;

function refuse(reason: RefusalReason, resolvedQuestion: string, detail?: RefusalDetail): Answer {
  return composeAnswer(
    { body: refusalText(reason, detail), citations: [], confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason } },
    new Map(),
  );
}

/** The one entry point every channel calls. */
export function createAsk({ knowledgeBase, today, logger, writer, rewriter, thresholds }: AskOptions): Ask {
  const { keywordIndex } = knowledgeBase.index;
  const { lexicon } = knowledgeBase;
  const covered = [...new Set(knowledgeBase.corpus.documents.map((d) => d.region))];
  const outOfScope = OutOfScopeDetector.load();
  const analyse = (text: string) => analyseQuery(text, keywordIndex, lexicon);
  const textOf = (hit: SearchHit) => {
    const measure = knowledgeBase.measuresById.get(hit.measureId)!;
    return searchText(measure, knowledgeBase.documentOf(measure));
  };

  /** A question stands alone when it names a rare topic of its own; otherwise it leans on the conversation. */
  const isFollowUp = (question: string) => {
    if (hasFollowUpCue(question)) return true;
    return !analyse(question).concepts.some((c) => c.known && c.weight >= SPECIFIC_TOPIC_WEIGHT);
  };

  async function resolve(question: string, history: Turn[]): Promise<ResolvedQuestion> {
    const earlier = understoodTurns(history, isFollowUp).at(-1);
    if (!earlier || !isFollowUp(question)) return { text: question, focus: question };
    const resolved = carryOver(question, earlier);
    if (rewriter) {
      const rewritten = await rewriter(question, history);
      if (rewritten) resolved.text = `${rewritten} ${resolved.focus}`;
    }
    return resolved;
  }

  return async function ask(rawQuestion, history = [], options = {}) {
    const question = normalizeQuestion(rawQuestion);
    if (!question) throw new AppError("QUESTION_EMPTY", "The question is empty.", { userMessage: "请输入您的问题。" });
    if (question.length > MAX_QUESTION_CHARS) return refuse("too-long", question.slice(0, 80), { maxChars: MAX_QUESTION_CHARS });
    if (looksLikeInjection(question)) return refuse("injection", question);
    const declined = outOfScope.detect(question);
    if (declined) return refuse(declined, question);
    // "我是哈密的个体户，开饭馆的，有什么政策？" asks which measures apply to the asker: the matcher answers.
    const profile = describesAsker(question);
    if (profile) return matchAnswer(await matchMeasures(profile, knowledgeBase, today()), knowledgeBase, { question });

    const resolved = await resolve(question, history);
    const named = knowledgeBase.documentNames.find(resolved.text);
    // A document's name says which document, not what about: it is searched as a preference, not as words.
    const analysed = analyse(named.names.reduce((text, name) => text.split(name).join(" "), resolved.text));
    const asked = analysed.regions;
    if (asked.length && !asked.some((region) => knowledgeBase.corpus.documents.some((d) => regionCovers(d.region, region) || regionCovers(region, d.region)))) {
      return refuse("other-region", resolved.text, { regions: asked, covered });
    }

    const document = findAskedDocument(question, analyse(resolved.focus).concepts, knowledgeBase, named.documents);
    if (document) return documentAnswer(document, knowledgeBase, resolved.text);

    const hits = await knowledgeBase.retriever.search({ text: analysed.text, regions: asked, documents: named.documents.map((d) => d.id), limit: 12 });
    const judgement = judge(analysed.concepts, hits, textOf, thresholds);
    logger?.debug({ question, ...judgement, best: judgement.best?.measureId }, "answerability");
    const evidence = { share: round(judgement.share), evidence: round(judgement.evidence), margin: round(judgement.margin) };
    if (judgement.decision === "refuse") return { ...refuse("no-match", resolved.text), evidence };

    const focus = resolved.carried ? analyse(resolved.focus).concepts : analysed.concepts;
    const extractive = extractiveAnswer({
      question: resolved.focus,
      regions: asked,
      resolvedQuestion: resolved.text,
      hits,
      focus,
      context: analysed.concepts,
      confidence: judgement.decision,
      knowledgeBase,
      today: today(),
    });
    if (
      ASKS_AMOUNT.test(resolved.focus) &&
      !extractive.citations.slice(0, 2).some((c) => c.measureId && statesAmount(knowledgeBase.measuresById.get(c.measureId)!))
    ) {
      return { ...amountNotStated(extractive, resolved.text), evidence };
    }
    if (!writer || judgement.decision !== "answer") return { ...extractive, evidence };
    const written = await writer({ question, resolvedQuestion: resolved.text, history, extractive, hits, onToken: options.onToken, signal: options.signal });
    return { ...(written ?? extractive), evidence };
  };

  /** The documents speak of the measure but give no figure: say so, and quote what they do say. */
  function amountNotStated(extractive: Answer, resolvedQuestion: string): Answer {
    const citations: Citation[] = extractive.citations.slice(0, 2);
    const body = `${refusalText("amount-not-stated")}相关条款的原文是：\n${extractive.body}\n如需了解具体标准，请向主管部门咨询，或拨打12345政务服务便民热线。`;
    return composeAnswer(
      { body, notices: extractive.notices, citations, confidence: "refuse", mode: "refusal", resolvedQuestion, refusal: { reason: "amount-not-stated" } },
      knowledgeBase.documentsById,
    );
  }
}
