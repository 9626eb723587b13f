import { findRegions } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { type Concept, coverage } from "../search/query.js";
import type { Answer, PolicyDocument } from "../types.js";
import { documentCitation } from "./citations.js";
import { composeAnswer } from "./compose.js";
import { ASKS_PERIOD, chineseDate, documentValidity, withoutOwnDates } from "./validity.js";

/** Words of asking about a document, whatever follows them: never part of its name. */
const DOCUMENT_WORDS = /文件|文号|发文|印发|发布|出台|全称|标题|哪一年|多少条|几条|多少项|几项措施|一共有/;
/** A question about a document as such; 出台 and 印发 only as done to it (什么时候出台的), not 出台涉企政策前. */
const ASKS_ABOUT_DOCUMENT =
  /什么文件|哪个文件|哪份文件|文号|发文|(?:印发|发布|出台)(?:的|了|时间|日期|于|是)|全称|标题|发文单位|发文机关|什么时候发|哪一年|多少条|几条|多少项|几项措施|一共有/;
const DOC_NUMBER = /([\u4e00-\u9fa5]{1,12})\s*[〔［[(（]\s*(\d{4})\s*[〕］\])）]\s*(\d+)\s*号/;

/** The document a question asks about by 文号, or by title when it asks about a document. */
export function findAskedDocument(
  question: string,
  concepts: Concept[],
  knowledgeBase: KnowledgeBase,
  named: PolicyDocument[] = [],
): PolicyDocument | undefined {
  const number = question.match(DOC_NUMBER);
  if (number) {
    const wanted = `${number[1]}〔${number[2]}〕${number[3]}号`;
    const found = knowledgeBase.corpus.documents.find((d) => d.docNumber === wanted);
    if (found) return found;
  }
  if (!ASKS_ABOUT_DOCUMENT.test(question)) return undefined;
  // Words no document title has (一共, 文号) are the question's frame, not the document's name.
  const topical = concepts.filter((c) => c.known && !DOCUMENT_WORDS.test(c.forms[0]));
  // Cities re-issue their province's plan under nearly the same title: the place named decides.
  const places = findRegions(question);
  const inPlace = named.filter((d) => !places.length || places.some((p) => d.region === p || d.regionPath.includes(p)));
  if (inPlace.length) return inPlace[0];
  let best: PolicyDocument | undefined;
  let bestScore = 0;
  for (const document of knowledgeBase.corpus.documents) {
    const covered = coverage(topical, `${document.title}${document.shortTitle}${document.issuer}${document.region}`);
    const place = places.length ? (places.includes(document.region) ? 0.1 : places.some((place: string) => document.regionPath.includes(place)) ? 0 : -0.3) : 0;
    if (covered >= 0.75 && covered + place > bestScore) [best, bestScore] = [document, covered + place];
  }
  return best;
}

/**
 * Answers what a document is: title, issuer, 文号, date, with its heading as the citation; asked whether it is still
 * in force (with `today`), what it says of its term comes right after.
 */
export function documentAnswer(
  document: PolicyDocument,
  knowledgeBase: KnowledgeBase,
  resolvedQuestion: string,
  asked?: { question: string; today: string },
): Answer {
  const citation = documentCitation(1, document, 1);
  const measures = knowledgeBase.corpus.measures.filter((m) => m.documentId === document.id);
  const count = measures.length;
  const validity = asked && ASKS_PERIOD.test(withoutOwnDates(asked.question)) ? documentValidity(document, measures, asked.today) : "";
  const facts = [
    `${document.docNumber ? `${document.docNumber}是` : "该文件是"}${document.issuer}印发的《${document.shortTitle}》`,
    document.date ? `，印发日期为${chineseDate(document.date)}` : "",
    `[1]。`,
    validity,
    `文件全称：${document.title}。适用地区：${document.region}。共${count}条措施，知识库已全部收录。`,
  ].join("");
  return composeAnswer({ body: facts, citations: [citation], confidence: "answer", mode: "extractive", resolvedQuestion }, knowledgeBase.documentsById);
}
