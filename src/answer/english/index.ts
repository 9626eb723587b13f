import type { KnowledgeBase } from "../../search/knowledge-base.js";
import { bigrams } from "../../search/tokenize.js";
import type { Answer, Turn } from "../../types.js";
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

/** In how many clauses a form occurs, as a word or (an upper bound) through its rarest bigram. */
function documentFrequency(knowledgeBase: KnowledgeBase) {
  const index = knowledgeBase.index.keywordIndex;
  return (form: string) => {
    const grams = bigrams(form);
    return index.documentFrequency(`w:${form}`) || (grams.length ? Math.min(...grams.map((g) => index.documentFrequency(`b:${g}`))) : 0);
  };
}

/** Earlier English turns are read the same way, so a follow-up leans on what the conversation asked. */
function readHistory(history: Turn[], read: (question: string) => EnglishReading): Turn[] {
  return history.map((turn) =>
    isEnglishQuestion(turn.question) && !turn.resolvedQuestion ? { ...turn, question: read(turn.question).chinese || turn.question } : turn,
  );
}

/**
 * Answers a question asked in English: read into the documents' Chinese, answered by the normal pipeline, and given
 * an English lead (the figures of the cited clauses first); citations stay in Chinese. Refusals are in English, with
 * the Chinese one after it.
 */
export async function answerInEnglish({ question, history, knowledgeBase, ask }: EnglishAskOptions): Promise<Answer> {
  const read = (text: string) => translateQuestion(text, { documentFrequency: documentFrequency(knowledgeBase) });
  const reading = read(question);
  if (!reading.chinese) {
    const body = englishRefusal("no-match");
    return {
      text: body,
      body,
      notices: [],
      refused: true,
      refusal: { reason: "no-match" },
      confidence: "refuse",
      citations: [],
      suggestions: [],
      mode: "refusal",
      resolvedQuestion: question,
    };
  }
  const answer = await ask(reading.chinese, readHistory(history, read));
  const lead = answer.refused
    ? englishRefusal(answer.refusal?.reason)
    : englishLead(answer, reading.asks, (id) => knowledgeBase.documentsById.get(id)?.shortTitle);
  return { ...answer, body: `${lead}\n\n${answer.body}`, text: `${lead}\n\n${answer.text}` };
}
