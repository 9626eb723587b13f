import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Answer, Turn } from "../../types.js";
import { refusalText } from "../refusal.js";
import { isEnglishQuestion } from "./detect.js";
import { englishLead, englishRefusal } from "./lead.js";
import { type EnglishReading, translateQuestion } from "./translate.js";

export { isEnglishQuestion } from "./detect.js";
export { translateQuestion } from "./translate.js";

export interface EnglishAskOptions {
  /** The English question, normalised. */
  question: string;
  history: Turn[];
  knowledgeBase: KnowledgeBase;
  /** The Chinese pipeline, which answers the question's Chinese reading. */
  ask: (question: string, history: Turn[]) => Promise<Answer>;
}

/** A form in more than this share of clauses says nothing of a question's topic. */
const COMMON_SHARE = 0.2;

const frequencies = new WeakMap<KnowledgeBase, Map<string, number>>();

/**
 * In how many clauses (with their headings) a form occurs, counted in the text itself: the keyword index's bigram
 * bound would call 最低工资 known because 降低工程 has 低工. Counted once per form and knowledge base.
 */
function documentFrequency(knowledgeBase: KnowledgeBase) {
  const counted = frequencies.get(knowledgeBase) ?? new Map<string, number>();
  frequencies.set(knowledgeBase, counted);
  return (form: string) => {
    let count = counted.get(form);
    if (count === undefined) {
      count = knowledgeBase.corpus.measures.filter((m) => m.text.includes(form) || m.path.some((p) => p.includes(form))).length;
      counted.set(form, count);
    }
    return count;
  };
}

/** Earlier English turns are read the same way, so a follow-up leans on what the conversation asked. */
function readHistory(history: Turn[], read: (question: string) => EnglishReading): Turn[] {
  return history.map((turn) =>
    isEnglishQuestion(turn.question) && !turn.resolvedQuestion ? { ...turn, question: read(turn.question).chinese || turn.question } : turn,
  );
}

/**
 * The Chinese pipeline reads words no clause has as the asker's own story (饭馆, 桌子) and weighs them little. An
 * English question has no such filler once its stopwords are gone: every topic it names that no clause has (solar
 * panels, a warehouse roof) is one the documents lack. So a low-confidence answer naming any, or an answer naming
 * more of them than topics the documents have, is refused. A word most clauses have (企业, 服务) is no topic either way.
 */
function namesMissingTopics(reading: EnglishReading, answer: Answer, frequency: (form: string) => number, clauses: number): boolean {
  if (answer.refused) return false;
  const topics = reading.parts.filter((part) => part.kind === "term" && frequency(part.chinese) <= clauses * COMMON_SHARE);
  const missing = topics.filter((part) => !part.known).length;
  return answer.confidence === "low" ? missing > 0 : missing > topics.length - missing;
}

/** A no-match refusal (the English sentence is put before it below). */
function noMatch(question: string, answered?: Answer): Answer {
  const chinese = refusalText("no-match");
  return {
    text: chinese,
    body: chinese,
    notices: [],
    outcome: "refused",
    refused: true,
    refusal: { reason: "no-match" },
    confidence: "refuse",
    ...(answered?.evidence ? { evidence: answered.evidence } : {}),
    citations: [],
    suggestions: [],
    mode: "refusal",
    resolvedQuestion: answered?.resolvedQuestion ?? question,
  };
}

/**
 * Answers a question asked in English: read into the documents' Chinese, answered by the normal pipeline, and given
 * an English lead (the figures of the cited clauses first); citations stay in Chinese. Refusals are in English, with
 * the Chinese one after it.
 */
export async function answerInEnglish({ question, history, knowledgeBase, ask }: EnglishAskOptions): Promise<Answer> {
  const frequency = documentFrequency(knowledgeBase);
  const read = (text: string) => translateQuestion(text, { documentFrequency: frequency });
  const reading = read(question);
  const answered = reading.chinese ? await ask(reading.chinese, readHistory(history, read)) : noMatch(question);
  const answer = namesMissingTopics(reading, answered, frequency, knowledgeBase.corpus.measures.length) ? noMatch(question, answered) : answered;
  const deadlineOf = (c: Answer["citations"][number]) => (c.measureId ? knowledgeBase.measuresById.get(c.measureId)?.fields.deadline?.text : undefined);
  const lead = answer.refused
    ? englishRefusal(answer.refusal?.reason)
    : englishLead(
        answer,
        { asks: reading.asks, topics: reading.parts.filter((p) => p.kind === "term").map((p) => p.chinese), deadlineOf },
        (id) => knowledgeBase.documentsById.get(id)?.shortTitle,
      );
  return { ...answer, body: `${lead}\n\n${answer.body}`, text: `${lead}\n\n${answer.text}` };
}
