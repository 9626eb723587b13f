import type { Citation, Measure, PolicyDocument } from "../types.js";
import { validityOf } from "./validity.js";

const MAX_CITATION_TEXT = 1400;

export function clausePath(measure: Measure): string {
  return measure.path.join(" › ");
}

export function measureCitation(marker: number, measure: Measure, document: PolicyDocument, score: number, today: string): Citation {
  const validity = validityOf(measure, today, document);
  return {
    marker,
    kind: "measure",
    measureId: measure.id,
    documentId: document.id,
    text: measure.text,
    document: document.title,
    docNumber: document.docNumber,
    issuer: document.issuer,
    date: document.date,
    region: document.region,
    path: clausePath(measure),
    pages: measure.pages,
    score: Number(score.toFixed(4)),
    status: validity.status,
    validity: validity.sentence,
    ...(document.retired && validity.label && /废止|替代/.test(validity.label) ? { retired: document.retired } : {}),
  };
}

/** A document cited as a whole: its heading and preamble, never its measures. */
export function documentCitation(marker: number, document: PolicyDocument, score: number): Citation {
  const facts = [document.title, document.docNumber, document.issuer, document.date].filter(Boolean).join("；");
  return {
    marker,
    kind: "document",
    documentId: document.id,
    text: `${facts}\n${document.preamble}`.slice(0, MAX_CITATION_TEXT),
    document: document.title,
    docNumber: document.docNumber,
    issuer: document.issuer,
    date: document.date,
    region: document.region,
    path: "文件首部",
    pages: document.pages.slice(0, 2),
    score: Number(score.toFixed(4)),
    status: "undated",
  };
}

/** "《自治区…若干措施》（新市监机〔2023〕83号）二、… › （五），第1705页" */
export function citationLine(citation: Citation, shortTitle?: string): string {
  const title = `《${shortTitle ?? citation.document}》`;
  const number = citation.docNumber ? `（${citation.docNumber}）` : "";
  const pages = pageLabel(citation.pages);
  const ended = citation.retired ? (citation.retired.kind === "repealed" ? "【已废止】" : "【已被替代】") : citation.status === "ended" ? "【已到期】" : "";
  return `[${citation.marker}] ${title}${number} ${citation.path}${pages}${ended}`;
}

export function pageLabel(pages: number[]): string {
  if (!pages.length) return "";
  return pages.length === 1 ? `，第${pages[0]}页` : `，第${pages[0]}–${pages[pages.length - 1]}页`;
}
