import type { Ask } from "../answer/seams.js";
import { documentValidity } from "../answer/validity.js";
import { reconstructDocument } from "../corpus/reconstruct.js";
import { findRegions, regionCovers } from "../corpus/regions.js";
import { checkProfile, type MatchResult, matchAnswer, matchMeasures, type ProfileInput, vocabulary } from "../match/index.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Answer, Citation, PolicyDocument, Turn, ValidityStatus } from "../types.js";
import { type ClauseView, clauseView } from "./clause-view.js";
import { PolicyInputError } from "./input-error.js";

export interface PolicyOperationsOptions {
  /** The runtime's ask: the same pipeline, verifier and deadline every channel uses. */
  ask: Ask;
  /** The live knowledge base (a publish swaps it). */
  knowledgeBase: () => KnowledgeBase;
  today: () => string;
}

export interface SearchMeasuresInput {
  query: string;
  /** A place (哈密市, 克拉玛依市, 新疆维吾尔自治区): only documents that apply there (its own and its province's). */
  region?: string;
  status?: ValidityStatus;
  limit?: number;
}

/** An answer as the integrations hand it out: the full text for reading, its parts and citations for citing. */
export interface AnswerView {
  answer: string;
  body: string;
  refused: boolean;
  refusalReason: string | null;
  confidence: Answer["confidence"];
  notices: Answer["notices"];
  citations: Array<Omit<Citation, "kind" | "score">>;
}

export interface DocumentSummary {
  id: string;
  title: string;
  shortTitle: string;
  docNumber?: string;
  issuer: string;
  date?: string;
  region: string;
  measures: number;
}

export const DEFAULT_SEARCH_LIMIT = 8;
export const MAX_SEARCH_LIMIT = 20;

export function answerView(answer: Answer): AnswerView {
  return {
    answer: answer.text,
    body: answer.body,
    refused: answer.refused,
    refusalReason: answer.refusal?.reason ?? null,
    confidence: answer.confidence,
    notices: answer.notices,
    citations: answer.citations.map(({ kind: _kind, score: _score, ...citation }) => citation),
  };
}

/**
 * What the knowledge base offers to other people's agents, once, for both adapters (LangChain tools and the
 * MCP server): a verified answer, a clause search, one clause, the 政策匹配 matcher, and the documents.
 * Every clause carries its citation and its validity as of today.
 */
export function createPolicyOperations({ ask, knowledgeBase, today }: PolicyOperationsOptions) {
  return {
    ask(question: string, history: Turn[] = []): Promise<Answer> {
      return ask(question, history);
    },

    async searchMeasures({ query, region, status, limit = DEFAULT_SEARCH_LIMIT }: SearchMeasuresInput): Promise<ClauseView[]> {
      const kb = knowledgeBase();
      const place = region?.trim() ? knownRegion(region, kb) : undefined;
      const hits = await kb.retriever.search({ text: query, regions: place ? [place] : findRegions(query), limit: MAX_SEARCH_LIMIT * 5 });
      return hits
        .filter((hit) => hit.coverage > 0)
        .map((hit) => clauseView(kb.measuresById.get(hit.measureId)!, kb, today()))
        .filter((view) => (!place || regionCovers(view.region, place)) && (!status || view.status === status))
        .slice(0, Math.min(limit, MAX_SEARCH_LIMIT));
    },

    getMeasure(measureId: string): ClauseView {
      const kb = knowledgeBase();
      const measure = kb.measuresById.get(measureId.trim());
      if (!measure) throw new PolicyInputError("measureId", `没有编号为“${measureId}”的措施；编号见 search_measures 或 ask 结果中的 measureId。`);
      return clauseView(measure, kb, today());
    },

    async matchEnterprise(input: ProfileInput): Promise<{ result: MatchResult; answer: Answer }> {
      const kb = knowledgeBase();
      const checked = checkProfile(input, kb);
      if (!checked.ok) throw new PolicyInputError(checked.field, profileProblem(checked.field, input, kb));
      const result = await matchMeasures(checked.profile, kb, today());
      return { result, answer: matchAnswer(result, kb) };
    },

    documents(): DocumentSummary[] {
      const kb = knowledgeBase();
      return kb.corpus.documents.map((document) => documentSummary(document, kb));
    },

    /** The document laid out as text, after a header with its 文号, issuer, date and validity as of today. */
    documentText(documentId: string): { summary: DocumentSummary; text: string } {
      const kb = knowledgeBase();
      const document = kb.documentsById.get(documentId);
      if (!document) throw new PolicyInputError("documentId", `没有编号为“${documentId}”的文件。`);
      const measures = kb.corpus.measures.filter((m) => m.documentId === document.id);
      const header = [
        `《${document.title}》`,
        document.docNumber && `文号：${document.docNumber}`,
        `发文机关：${document.issuer}`,
        document.date && `日期：${document.date}`,
        `地区：${document.region}`,
        `有效性（按${today()}计）：${documentValidity(document, measures, today())}`,
      ].filter(Boolean);
      return { summary: documentSummary(document, kb), text: `${header.join("\n")}\n\n${reconstructDocument(kb.corpus, document)}` };
    },
  };
}

export type PolicyOperations = ReturnType<typeof createPolicyOperations>;

function documentSummary(document: PolicyDocument, kb: KnowledgeBase): DocumentSummary {
  const { id, title, shortTitle, docNumber, issuer, date, region } = document;
  return { id, title, shortTitle, docNumber, issuer, date, region, measures: kb.corpus.measures.filter((m) => m.documentId === id).length };
}

/** The places the knowledge base has documents for, to name in a message. */
function coveredPlaces(kb: KnowledgeBase): string {
  return [...new Set(kb.corpus.documents.map((d) => d.region))].join("、");
}

function knownRegion(region: string, kb: KnowledgeBase): string {
  const [place] = findRegions(region);
  if (!place) throw new PolicyInputError("region", `无法识别的地区“${region}”。知识库覆盖：${coveredPlaces(kb)}。`);
  return place;
}

/** checkProfile names the field; the message an agent relays to a person is said in Chinese here. */
function profileProblem(field: keyof ProfileInput, input: ProfileInput, kb: KnowledgeBase): string {
  const given = String(input[field] ?? "").trim();
  switch (field) {
    case "region":
      return given
        ? `无法识别或知识库未覆盖的地区“${given}”。知识库覆盖：${coveredPlaces(kb)}。`
        : `请提供企业所在地 region（如 哈密市、克拉玛依市、新疆维吾尔自治区）。`;
    case "entityType": {
      const labels = vocabulary.entityTypes.map((e) => e.label).join("、");
      return given ? `无法识别的市场主体类型“${given}”。可选：${labels}。` : `请提供市场主体类型 entityType（可选：${labels}）。`;
    }
    case "sector":
      return `无法识别的行业“${given}”。可选：${vocabulary.sectors.map((s) => s.id).join("、")}。`;
    default:
      return `needs 最多200字，请简要说明需求。`;
  }
}
