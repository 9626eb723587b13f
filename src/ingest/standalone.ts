import { type ParsedFile, parseStandaloneDocument } from "../corpus/parse-compilation.js";
import { parsePlain } from "../corpus/parse-plain.js";
import { readSourceLines } from "../corpus/source-lines.js";
import { findStandaloneHeading } from "./standalone-heading.js";

/** Fewer numbered clauses than this and a text is not read as a policy. */
const MIN_MEASURES = 2;

/**
 * A single document: parsed with its own title, 文号 and date when it looks
 * like a policy (a title such as …的通知 and numbered clauses); otherwise
 * indexed as plain paragraphs, with a warning saying so.
 */
export function standaloneOrPlain(text: string, sourceFile: string): { parsed: ParsedFile; warning?: string } {
  const heading = findStandaloneHeading(readSourceLines(text).lines);
  if (heading) {
    const parsed = parseStandaloneDocument(text, sourceFile, heading);
    if (parsed.measures.length >= MIN_MEASURES) return { parsed };
  }
  const why = heading
    ? `found the title 《${heading.title}》 but fewer than ${MIN_MEASURES} numbered clauses`
    : "no title such as …的通知 / …办法 near the top";
  return {
    parsed: parsePlain(text, sourceFile),
    warning: `${sourceFile}: does not look like a policy document (${why}); indexed as plain paragraphs`,
  };
}
