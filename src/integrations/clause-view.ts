import { citationLine, measureCitation } from "../answer/citations.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Citation, Measure, Retirement, ValidityStatus } from "../types.js";

/** One clause as the integrations hand it out: its text, where it stands, and whether it applies today. */
export interface ClauseView {
  measureId: string;
  documentId: string;
  /** The document's full title. */
  title: string;
  shortTitle: string;
  /** 文号. */
  docNumber?: string;
  issuer: string;
  date?: string;
  region: string;
  /** The clause's place in the outline: 二、… › （五）. */
  path: string;
  pages: number[];
  text: string;
  /** Judged against today by code, never by a model. */
  status: ValidityStatus;
  validity?: string;
  /** The document was repealed or superseded. */
  retired?: Retirement;
}

export function clauseView(measure: Measure, knowledgeBase: KnowledgeBase, today: string): ClauseView {
  const document = knowledgeBase.documentOf(measure);
  const citation = measureCitation(1, measure, document, 0, today);
  return {
    measureId: measure.id,
    documentId: document.id,
    title: document.title,
    shortTitle: document.shortTitle,
    docNumber: document.docNumber,
    issuer: document.issuer,
    date: document.date,
    region: document.region,
    path: citation.path,
    pages: measure.pages,
    text: measure.text,
    status: citation.status,
    validity: citation.validity,
    ...(citation.retired ? { retired: citation.retired } : {}),
  };
}

/** "[1] 《标题》（文号） 路径，第N页【已到期】", the validity sentence, then the clause: what a model reads. */
export function clauseText(view: ClauseView, marker: number): string {
  const citation: Citation = {
    marker,
    kind: "measure",
    measureId: view.measureId,
    documentId: view.documentId,
    text: view.text,
    document: view.title,
    docNumber: view.docNumber,
    issuer: view.issuer,
    date: view.date,
    region: view.region,
    path: view.path,
    pages: view.pages,
    score: 0,
    status: view.status,
    validity: view.validity,
    retired: view.retired,
  };
  const facts = [`编号：${view.measureId}`, `发文：${view.issuer}${view.date ? `，${view.date}` : ""}`, view.validity].filter(Boolean).join("；");
  return `${citationLine(citation, view.shortTitle)}\n${facts}\n${view.text}`;
}
