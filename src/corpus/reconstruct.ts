import type { Corpus, PolicyDocument } from "../types.js";

/**
 * Lays a parsed document back out as text, in source order: heading, 文号,
 * preamble, outline headings and measures, closing. Used to prove that parsing
 * loses nothing, and to show a whole document in the console.
 */
export function reconstructDocument(corpus: Corpus, document: PolicyDocument): string {
  const measures = corpus.measures.filter((m) => m.documentId === document.id);
  const parts = [document.heading, document.docNumber ?? "", document.preamble];
  let next = 0;
  for (const [index, measure] of measures.entries()) {
    while (next < document.outline.length && document.outline[next].beforeMeasure <= index) {
      parts.push(document.outline[next].marker + document.outline[next].text);
      next++;
    }
    parts.push(measure.marker + measure.text);
  }
  for (; next < document.outline.length; next++) parts.push(document.outline[next].marker + document.outline[next].text);
  parts.push(document.closing);
  return parts.filter(Boolean).join("\n");
}
