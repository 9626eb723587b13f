import { readWithTaughtQuestions } from "../library/fuse-related.js";
import type { QuestionLibrary } from "../library/question-library.js";
import { searchText } from "../search/hybrid-retriever.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { normalizeQuestion } from "../search/normalize.js";
import { analyseQuery } from "../search/query.js";
import type { Answer } from "../types.js";
import { createAsk } from "./ask.js";

export interface HitTestResult {
  question: string;
  decision: "answer" | "low" | "refuse";
  reason: string;
  evidence?: Answer["evidence"];
  hits: Array<{
    measureId: string;
    path: string;
    document: string;
    keyword: number;
    vector: number;
    fused: number;
    coverage: number;
    text: string;
    taught: boolean;
  }>;
  library: Array<{ entryId: string; question: string; similarity: number; kind: "near-duplicate" | "related"; measureIds: string[] }>;
  /** What the asker would get (extractive, without a model's rewrites). */
  answer: { body: string; citations: string[]; libraryEntryId?: string };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function reasonOf(answer: Answer, nearDuplicate: boolean): string {
  if (answer.libraryEntryId && nearDuplicate)
    return answer.refused ? `问题库中的相近问题标为应拒答（${answer.refusal?.reason}）` : "问题库中有相近问题，按其关联条款作答";
  if (answer.refused) {
    const reason = answer.refusal?.reason;
    if (reason === "no-match") return `没有条款足够覆盖问题（覆盖率 ${answer.evidence?.share ?? 0}，证据 ${answer.evidence?.evidence ?? 0}），拒答`;
    return `拒答：${reason}`;
  }
  if (answer.confidence === "low") return `最接近的条款只覆盖问题的一部分（覆盖率 ${answer.evidence?.share}，证据 ${answer.evidence?.evidence}），低置信作答`;
  return `条款覆盖问题（覆盖率 ${answer.evidence?.share}，证据 ${answer.evidence?.evidence}），作答`;
}

/**
 * 命中测试: what search finds for a question (top 10 with keyword, vector and
 * fused scores and coverage), which library entries match, and what `ask`
 * decides and why — asked through the same `ask` with the current knowledge
 * base and library, extractively, without counting a library hit.
 */
export async function hitTest(
  question: string,
  { knowledgeBase, library, today }: { knowledgeBase: KnowledgeBase; library: QuestionLibrary; today: () => string },
): Promise<HitTestResult> {
  const text = normalizeQuestion(question);
  const lookup = library.withoutHitCounting();
  const answer = await createAsk({ knowledgeBase, today, library: lookup })(text);
  const analysed = analyseQuery(text, knowledgeBase.index.keywordIndex, knowledgeBase.lexicon);
  const searched = await knowledgeBase.retriever.search({ text: analysed.text, regions: analysed.regions, limit: 10 });
  const textOf = (hitId: string) => {
    const measure = knowledgeBase.measuresById.get(hitId)!;
    return searchText(measure, knowledgeBase.documentOf(measure));
  };
  const candidates = lookup.related?.(analysed.text) ?? [];
  const taught = readWithTaughtQuestions(knowledgeBase, analysed.concepts, searched, candidates, (hit) => textOf(hit.measureId));
  const raised = new Set(taught.related.map((r) => r.measureId));
  const near = library.nearest(text);
  return {
    question: text,
    decision: answer.confidence,
    reason: reasonOf(answer, near.length > 0),
    evidence: answer.evidence,
    hits: taught.hits.slice(0, 10).map((hit) => {
      const measure = knowledgeBase.measuresById.get(hit.measureId)!;
      return {
        measureId: hit.measureId,
        path: measure.path.join(" › "),
        document: knowledgeBase.documentOf(measure).shortTitle,
        keyword: round(hit.keywordScore),
        vector: round(hit.vectorScore),
        fused: round(hit.score),
        coverage: round(hit.coverage),
        text: measure.text,
        taught: raised.has(hit.measureId),
      };
    }),
    library: [
      ...near.map((n) => ({
        entryId: n.entry.id,
        question: n.entry.question,
        similarity: round(n.similarity),
        kind: "near-duplicate" as const,
        measureIds: n.entry.measureIds,
      })),
      ...candidates
        .filter((c) => raised.has(c.measureId))
        .map((c) => ({
          entryId: c.entryId,
          question: c.question,
          similarity: round(taught.related.find((r) => r.measureId === c.measureId)!.coverage),
          kind: "related" as const,
          measureIds: [c.measureId],
        })),
    ],
    answer: { body: answer.body, citations: answer.citations.flatMap((c) => (c.measureId ? [c.measureId] : [])), libraryEntryId: answer.libraryEntryId },
  };
}
