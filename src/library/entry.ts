import type { RefusalReason } from "../types.js";

/** A taught question as staff and the API see it. */
export interface LibraryEntry {
  id: string;
  question: string;
  /** In citation order: a reviewed answer's [1] is the first. */
  measureIds: string[];
  answer?: string;
  refusal?: RefusalReason;
  note?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  hitCount: number;
  lastHitAt?: string;
}

/** What staff send to create or replace an entry. */
export interface LibraryEntryInput {
  question: string;
  measureIds: string[];
  answer?: string;
  refusal?: string;
  note?: string;
}

/** The refusals staff may teach ("应拒答"): the ones that say why a question is out of scope. */
export const TEACHABLE_REFUSALS = ["no-match", "other-region", "personal-matter", "request-to-act"] as const satisfies readonly RefusalReason[];

/** A problem with an input, naming the field (`measureIds.1`, `answer`) for a 400. */
export interface InputProblem {
  field: string;
  error: string;
}
