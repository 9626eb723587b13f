import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { ValidityStatus } from "../../types.js";
import type { ClauseView } from "../clause-view.js";
import { DEFAULT_SEARCH_LIMIT, type PolicyOperations } from "../policy-operations.js";

/** What each Document carries besides the clause: enough to cite it and to say whether it applies today. */
export interface ClauseMetadata {
  measureId: string;
  documentId: string;
  /** The document's full title. */
  title: string;
  /** 文号. */
  docNumber?: string;
  issuer: string;
  date?: string;
  region: string;
  /** 二、… › （五）. */
  path: string;
  /** The first page the clause is on; `pages` has them all. */
  page?: number;
  pages: number[];
  status: ValidityStatus;
  /** As of the injected today (AS_OF_DATE or the clock). */
  validity?: string;
}

export interface PolicyRetrieverInput extends BaseRetrieverInput {
  operations: PolicyOperations;
  /** Clauses returned at most. */
  k?: number;
  /** Only clauses that apply in this place (and its province). */
  region?: string;
}

export function clauseDocument(view: ClauseView): Document<ClauseMetadata> {
  const { text, measureId, documentId, title, docNumber, issuer, date, region, path, pages, status, validity } = view;
  return new Document<ClauseMetadata>({
    id: measureId,
    pageContent: text,
    metadata: { measureId, documentId, title, docNumber, issuer, date, region, path, page: pages[0], pages, status, validity },
  });
}

/**
 * Our hybrid index as a LangChain retriever: each Document is one clause (pageContent) with its citation and
 * validity in the metadata, so a LangChain or LangGraph application cites clause by clause, as we do.
 */
export class PolicyRetriever extends BaseRetriever<ClauseMetadata> {
  lc_namespace = ["relief-policy-bot", "retrievers"];
  private readonly operations: PolicyOperations;
  private readonly k: number;
  private readonly region?: string;

  constructor({ operations, k = DEFAULT_SEARCH_LIMIT, region, ...fields }: PolicyRetrieverInput) {
    super(fields);
    this.operations = operations;
    this.k = k;
    this.region = region;
  }

  async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<Document<ClauseMetadata>[]> {
    const views = await this.operations.searchMeasures({ query, region: this.region, limit: this.k });
    return views.map(clauseDocument);
  }
}
