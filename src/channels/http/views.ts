import { validityBadge, validityOf } from "../../answer/validity.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Measure, PolicyDocument } from "../../types.js";

export function documentView(document: PolicyDocument, knowledgeBase: KnowledgeBase) {
  const { preamble, closing, heading, outline, ...rest } = document;
  return { ...rest, measures: knowledgeBase.corpus.measures.filter((m) => m.documentId === document.id).length, outline };
}

export function measureView(measure: Measure, knowledgeBase: KnowledgeBase, today: string) {
  const document = knowledgeBase.documentOf(measure);
  const validity = validityOf(measure, today, document);
  return {
    ...measure,
    document: {
      id: document.id,
      title: document.title,
      shortTitle: document.shortTitle,
      docNumber: document.docNumber,
      issuer: document.issuer,
      date: document.date,
      region: document.region,
    },
    status: validity.status,
    validity: validity.sentence,
    /** 现行有效 / 即将到期 / 已到期 / 任务时限, with the end date: the one mark every page shows. */
    badge: validityBadge(measure, today, document),
  };
}
