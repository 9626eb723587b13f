import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Answer } from "../types.js";

/**
 * What the hand-off is about, for staff sorting the queue: the document of the nearest measure, the one the
 * bot's last answer cited first, or else the one a search for the question finds first.
 */
export async function handoffCategory(question: string, lastAnswer: Answer | undefined, knowledgeBase: KnowledgeBase): Promise<string | undefined> {
  const cited = lastAnswer?.citations[0];
  if (cited) return cited.document;
  if (!question.trim()) return undefined;
  const [hit] = await knowledgeBase.retriever.search({ text: question, regions: [], limit: 1 });
  const measure = hit && knowledgeBase.measuresById.get(hit.measureId);
  return measure ? knowledgeBase.documentOf(measure).shortTitle : undefined;
}
