import { describe, expect, it } from "vitest";
import type { Citation } from "../types.js";
import { composeAnswer, fromLibrary, outcomeFlags } from "./compose.js";

const citation = {
  marker: 1,
  kind: "measure",
  measureId: "m-1",
  documentId: "d-1",
  text: "条款",
  document: "文件",
  issuer: "厅",
  region: "自治区",
  path: "一",
  pages: [],
  score: 1,
  status: "active",
} as Citation;
const parts = { body: "答", citations: [citation], resolvedQuestion: "问", mode: "extractive" as const };

describe("one outcome, the rest derived", () => {
  it("derives refused, confidence and mode from the outcome alone", () => {
    expect(outcomeFlags("answered")).toEqual({ outcome: "answered", refused: false, confidence: "answer", mode: "extractive" });
    expect(outcomeFlags("low", "llm")).toEqual({ outcome: "low", refused: false, confidence: "low", mode: "llm" });
    expect(outcomeFlags("library")).toEqual({ outcome: "library", refused: false, confidence: "answer", mode: "extractive" });
    expect(outcomeFlags("refused")).toEqual({ outcome: "refused", refused: true, confidence: "refuse", mode: "refusal" });
    // Quoting the clauses is an answer written from them, while the JSONL contract keeps calling it refused.
    expect(outcomeFlags("not-stated")).toEqual({ outcome: "not-stated", refused: true, confidence: "refuse", mode: "extractive" });
  });

  it("reads a not-stated answer apart from a refusal: it quotes clauses", () => {
    const notStated = composeAnswer({ ...parts, confidence: "refuse", mode: "refusal", refusal: { reason: "not-stated" } }, new Map());
    expect(notStated).toMatchObject({ outcome: "not-stated", refused: true, mode: "extractive" });
    const refused = composeAnswer({ ...parts, citations: [], confidence: "refuse", mode: "refusal", refusal: { reason: "no-match" } }, new Map());
    expect(refused).toMatchObject({ outcome: "refused", refused: true, mode: "refusal" });
    expect(composeAnswer({ ...parts, confidence: "low" }, new Map())).toMatchObject({ outcome: "low", confidence: "low", refused: false });
  });

  it("tags an answer from a taught entry library, and leaves a taught refusal refused", () => {
    const answered = composeAnswer({ ...parts, confidence: "answer" }, new Map());
    expect(fromLibrary(answered, "e-1")).toMatchObject({ outcome: "library", refused: false, libraryEntryId: "e-1" });
    const refused = composeAnswer({ ...parts, citations: [], confidence: "refuse", mode: "refusal", refusal: { reason: "personal-matter" } }, new Map());
    expect(fromLibrary(refused, "e-2")).toMatchObject({ outcome: "refused", refused: true, confidence: "refuse", libraryEntryId: "e-2" });
  });
});
