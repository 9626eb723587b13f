/**
 * The seams of the bot. Every part that can be swapped (embedder, retriever,
 * answerer, store, channel) is a small type declared here, so an implementation
 * can be replaced without touching its callers.
 */

export type IsoDate = string; // YYYY-MM-DD

export interface Period {
  /** Absent when the text gives only the end ("有效期至2025年12月31日"). */
  from?: IsoDate;
  to: IsoDate;
  /** The period as the document words it. */
  text: string;
}

export interface Deadline {
  date: IsoDate;
  text: string;
  /** "并长期坚持": the task continues after its first deadline. */
  ongoing: boolean;
}

export interface MeasureFields {
  leadUnit?: string;
  responsibleUnits?: string;
  deadline?: Deadline;
  period?: Period;
  percentages: string[];
  amounts: string[];
  timeLimits: string[];
  /** Who the measure is for (个体工商户, 小微企业, 所有市场主体 …); set by src/match's classifier, not by the parser. */
  beneficiaries?: string[];
  /** What the measure gives: a fee cut, a subsidy, a faster procedure … or an internal government task. */
  benefitKind?: BenefitKind;
  /** Sectors the measure names (餐饮, 交通运输 …), when it names any. */
  sectors?: string[];
}

/** The kinds of benefit a measure can give, most directly useful first (src/match/vocabulary.json labels them). */
export type BenefitKind = "fee-relief" | "subsidy" | "financing" | "faster-procedure" | "service" | "legal-protection" | "internal";

export interface PolicyDocument {
  id: string;
  sourceFile: string;
  /** Position of the document in its compilation (the "4." of "4. 克拉玛依市…"). */
  ordinal: number;
  title: string;
  /** A short title for citations: the inner title of the notice when it has one. */
  shortTitle: string;
  issuer: string;
  docNumber?: string;
  date?: IsoDate;
  region: string;
  /** Regions this document applies to, from the most specific upwards. */
  regionPath: string[];
  pages: number[];
  /** The heading lines as printed, joined. */
  heading: string;
  preamble: string;
  /** Text after the last measure: sign-off and print lines. */
  closing: string;
  /** Headings of inner (non-leaf) outline items, in order, for reconstruction. */
  outline: OutlineHeading[];
  format: "compilation" | "plain";
  /** Uploaded documents: the version within its family (same 文号 or title), from 1. */
  version?: number;
  /** Set when the document is no longer in force; its measures then answer as such. */
  retired?: Retirement;
}

/** 废止 (repealed) or 被替代 (superseded by another document), from a date. */
export interface Retirement {
  kind: "repealed" | "superseded";
  date: IsoDate;
  /** The replacing document as it is cited: 《标题》（文号）. */
  replacement?: string;
  /** The staff's note on why, shown with the status. */
  reason?: string;
}

export interface OutlineHeading {
  marker: string;
  text: string;
  /** Index of the first measure under this heading, to restore order. */
  beforeMeasure: number;
}

export interface Measure {
  id: string;
  documentId: string;
  /** Order within the document, from 0. */
  index: number;
  /** The leaf's own marker: （五）, 12. */
  marker: string;
  /** Headings above the leaf and the leaf's marker, e.g. ["二、强化技术帮扶…", "（五）"]. */
  path: string[];
  /** The short heading where the item opens with one (加快推进涉营商环境立法). */
  heading?: string;
  /** Full text without the marker, line breaks joined. */
  text: string;
  pages: number[];
  fields: MeasureFields;
}

export interface Corpus {
  documents: PolicyDocument[];
  measures: Measure[];
  warnings: string[];
  /** Content hash of the source files, to know when an index is stale. */
  hash: string;
}

export type ValidityStatus = "active" | "ended" | "undated";

export interface Citation {
  /** 1-based marker used in the answer text: [1]. */
  marker: number;
  kind: "measure" | "document";
  measureId?: string;
  documentId: string;
  text: string;
  document: string;
  docNumber?: string;
  issuer: string;
  date?: IsoDate;
  region: string;
  path: string;
  pages: number[];
  score: number;
  status: ValidityStatus;
  /** Plain-language validity sentence where the measure has dates. */
  validity?: string;
  /** The cited document was repealed or superseded (the validity sentence says so and names the replacement). */
  retired?: Retirement;
}

/** Why a question was not answered from the knowledge base; each has its own message. */
export type RefusalReason = "no-match" | "other-region" | "personal-matter" | "request-to-act" | "amount-not-stated" | "not-stated" | "injection" | "too-long";

/**
 * How sure the bot is that the cited clauses answer the question:
 * `answer` quotes them as the answer; `low` offers the nearest clauses and says
 * no clause matches exactly; `refuse` cites nothing.
 */
export type Confidence = "answer" | "low" | "refuse";

/** A line the answer carries besides its body: validity, a hedge, a caveat about place. */
export interface Notice {
  kind: "validity" | "hedge" | "region" | "brief" | "not-stated";
  text: string;
}

/**
 * What `ask()` returns. Channels render from the parts (body, notices,
 * citations, refusal) and never split `text`, which is the full rendering for
 * the JSONL contract and the store.
 */
/**
 * What became of a question, as one value (as vercel/ai's `finishReason`): answered; answered with a hedge (`low`);
 * the clauses quoted while saying they do not state what was asked (`not-stated`); refused; answered from a
 * staff-taught library entry. `refused`, `confidence` and `mode` are derived from it (answer/compose.ts `outcomeFlags`).
 */
/** Reasons that say the documents do not state what was asked, while quoting what they do say. */
export const NOT_STATED_REASONS: readonly RefusalReason[] = ["not-stated", "amount-not-stated"];

export const ANSWER_OUTCOMES = ["answered", "low", "not-stated", "refused", "library"] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

export interface Answer {
  /** The full answer as one text: body, notices, the sources list and the closing line. */
  text: string;
  /** The answer itself, with [n] markers, without notices or the sources list. */
  body: string;
  notices: Notice[];
  /** The one field that says what became of the question; the flags below follow from it. */
  outcome: AnswerOutcome;
  /** Derived: true for `refused` and `not-stated` (the JSONL contract has always marked a not-stated answer refused). */
  refused: boolean;
  /** Set exactly when `refused` is true. */
  refusal?: { reason: RefusalReason };
  /** Derived: `refuse` when refused, `low` for a hedged answer, otherwise `answer`. */
  confidence: Confidence;
  /** What the confidence rests on, for staff views and calibration: see answer/answerability.ts. */
  evidence?: { share: number; evidence: number; margin: number };
  citations: Citation[];
  /** Related questions the asker may try (low-confidence answers and refusals). */
  suggestions: string[];
  /** Who wrote it, for logs and the store: `refusal` exactly when the outcome is `refused`. */
  mode: "extractive" | "llm" | "refusal";
  /** The standalone question actually searched, after follow-up resolution. */
  resolvedQuestion: string;
  promptVersion?: string;
  /** Set when a model answer was replaced by the extractive one. */
  fallbackReason?: string;
  /** The question-library entry the answer came from, when staff taught it. */
  libraryEntryId?: string;
  /** True when tokens streamed earlier were a draft that this final answer replaces. */
  draftRejected?: boolean;
}

/** A turn the conversation already had, newest last. */
export interface Turn {
  question: string;
  resolvedQuestion?: string;
  answer?: string;
}

/** Turns a text into a vector; local or remote. */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface SearchHit {
  measureId: string;
  /** Fused score, comparable only within one query. */
  score: number;
  keywordScore: number;
  vectorScore: number;
  /** Share of the query's weighted terms the measure contains, 0..1. */
  coverage: number;
}

export interface SearchQuery {
  text: string;
  /** Regions named in the question (canonical names). */
  regions: string[];
  /** Documents the question names (ids): their clauses are preferred. */
  documents?: string[];
  limit?: number;
}

/** Finds the measures most relevant to a question. */
export interface Retriever {
  search(query: SearchQuery): Promise<SearchHit[]>;
}
