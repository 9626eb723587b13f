import type { IngestResult } from "../ingest.js";
import { expectedClauses, noticeSourceText } from "./fidelity-notice.js";
import { EXPECTED_HEADING } from "./fidelity-producers.js";

/** How faithfully one producer's file was read: what the fidelity tests assert and the bench prints. */
export interface FidelityScore {
  /** 1 − edit distance / length, over the text without white space or page markers. */
  characterAccuracy: number;
  clausesFound: number;
  clausesExpected: number;
  /** Clauses expected but not found with their path and text, for a failure's message. */
  missing: string[];
  docNumberRight: boolean;
  titleRight: boolean;
  dateRight: boolean;
}

const compact = (text: string) => text.replace(/^# Page \d+:$/gm, "").replace(/\s+/g, "");

/** Levenshtein distance in two rows: the texts are a page or two long. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = new Int32Array(y.length + 1).map((_, j) => j);
  let current = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    [previous, current] = [current, previous];
  }
  return previous[y.length];
}

/** Characters right against the notice's own text (`read` is the reader's text, `# Page N:` lines and all). */
export function characterAccuracy(read: string): number {
  const expected = compact(noticeSourceText());
  return Math.max(0, 1 - editDistance(expected, compact(read)) / expected.length);
}

export function scoreReading(result: IngestResult): FidelityScore {
  const [document] = result.parsed.documents;
  const found = new Map(result.parsed.measures.map((m) => [m.path.join(" › "), compact(m.text)]));
  const expected = expectedClauses();
  const missing = expected.filter((clause) => found.get(clause.path) !== compact(clause.text)).map((clause) => `${clause.path}：${clause.text}`);
  return {
    characterAccuracy: characterAccuracy(result.text),
    clausesFound: expected.length - missing.length,
    clausesExpected: expected.length,
    missing,
    docNumberRight: document?.docNumber === EXPECTED_HEADING.docNumber,
    titleRight: document?.title === EXPECTED_HEADING.title,
    dateRight: document?.date === EXPECTED_HEADING.date,
  };
}
