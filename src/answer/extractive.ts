import type { KnowledgeBase } from "../core/knowledge-base.js";
import { regionPath } from "../corpus/regions.js";
import type { Concept } from "../search/query.js";
import type { Answer, Citation, SearchHit } from "../types.js";
import { measureCitation } from "./citations.js";
import { composeAnswer } from "./compose.js";
import { excerpt, excerptQuestion } from "./excerpt.js";
import { chineseDate } from "./validity.js";

export interface ExtractiveInput {
  question: string;
  /** Places the question (or its conversation) names. */
  regions?: string[];
  resolvedQuestion: string;
  hits: SearchHit[];
  focus: Concept[];
  context: Concept[];
  knowledgeBase: KnowledgeBase;
  today: string;
}

/** Hits within this share of the best one are answered from; a little lower, only cited. */
const LEAD_RATIO = 0.6;
const CITE_RATIO = 0.4;
const MAX_LEAD = 4;
const MAX_CITATIONS = 5;

const ASKS_LEAD_UNIT = /牵头|哪个部门|哪个单位|谁负责|负责部门|负责单位|由谁/;
const ASKS_DEADLINE = /完成时限|什么时候完成|截止|时限是|何时完成/;
const ASKS_VALIDITY = /还能|还可以|还有效|有效期|过期|到期|截止|现在还|目前还|是否有效|失效/;

/** Picks the clauses to answer from: the strongest hits, up to a few. */
export function selectHits(hits: SearchHit[]): { lead: SearchHit[]; cited: SearchHit[] } {
  const top = hits[0]?.score ?? 0;
  const lead = hits.filter((h) => h.score >= LEAD_RATIO * top).slice(0, MAX_LEAD);
  const cited = hits.filter((h) => h.score >= CITE_RATIO * top).slice(0, MAX_CITATIONS);
  return { lead, cited };
}

function inlineValidity(citation: Citation, knowledgeBase: KnowledgeBase, quoted: string): string {
  const measure = knowledgeBase.measuresById.get(citation.measureId!)!;
  const { period, deadline } = measure.fields;
  if (citation.status !== "ended") return "";
  if (period && quoted.includes(period.text)) return "（现已到期）";
  if (period) return `（实施期限为${chineseDate(period.from)}至${chineseDate(period.to)}，现已到期）`;
  if (deadline) return `（完成时限为${deadline.text}，现已到期）`;
  return "";
}

/**
 * The embedded default: an answer made only of the clauses' own words. The
 * lead quotes the sentences that answer, with markers; validity is stated
 * from the dates the clauses give, judged against today.
 */
export function extractiveAnswer(input: ExtractiveInput): Answer {
  const { knowledgeBase, today } = input;
  const { lead, cited } = selectHits(input.hits);
  const question = excerptQuestion(input.question, input.focus, input.context);
  const citations = cited.map((hit, i) => {
    const measure = knowledgeBase.measuresById.get(hit.measureId)!;
    return measureCitation(i + 1, measure, knowledgeBase.documentOf(measure), hit.score, today);
  });

  const lines: string[] = [];
  const quoted = new Set<string>();
  lead.forEach((hit, i) => {
    const citation = citations[i];
    const measure = knowledgeBase.measuresById.get(hit.measureId)!;
    let text = excerpt(measure.text, question);
    // A city often copies its province's sentence: quote it once, cite both.
    if (quoted.has(text)) return;
    quoted.add(text);
    const { leadUnit, deadline } = measure.fields;
    if (ASKS_LEAD_UNIT.test(input.question) && leadUnit && !text.includes(leadUnit)) text += `；牵头单位：${leadUnit}`;
    if (ASKS_DEADLINE.test(input.question) && deadline && !text.includes(deadline.text)) text += `；完成时限：${deadline.text}`;
    lines.push(`${text}[${citation.marker}]。${inlineValidity(citation, knowledgeBase, text)}`);
  });
  const numbered = lines.length > 1 ? lines.map((line, i) => `${i + 1}. ${line}`) : lines;

  const ended = citations.slice(0, lead.length).filter((c) => c.status === "ended");
  const summary: string[] = [];
  if (ASKS_VALIDITY.test(input.question) || ended.length) {
    const first = ended[0];
    if (first && ended.length === lead.length)
      summary.push(`注意：以上措施均已过实施期限或完成时限（按今天${chineseDate(today)}计），现已到期，能否继续享受请向主管部门确认。`);
    else if (first) summary.push(`注意：标注“现已到期”的措施已过期限（按今天${chineseDate(today)}计）。`);
    else if (ASKS_VALIDITY.test(input.question)) summary.push(`以上措施未写明已到期的期限（按今天${chineseDate(today)}计）。`);
  }

  // A place was named but the best clause is another place's: say so before quoting it.
  const asked = input.regions ?? [];
  const first = citations[0];
  const elsewhere = asked.length && first && !asked.some((r) => regionPath(r).includes(first.region) || first.region === r);
  const caveat = elsewhere ? `知识库中没有找到${asked.join("、")}的专门规定；以下是${first.region}的相关条款，仅供参考：` : "";

  const body = [caveat || undefined, lines.length > 1 ? "根据现有政策，相关条款如下：" : undefined, ...numbered].filter((l) => l !== undefined).join("\n");
  return composeAnswer(
    {
      body,
      notices: summary.map((text) => ({ kind: "validity" as const, text })),
      citations,
      confidence: "answer",
      mode: "extractive",
      resolvedQuestion: input.resolvedQuestion,
    },
    knowledgeBase.documentsById,
  );
}
