import type { Measure, PolicyDocument } from "../types.js";
import { extractFields } from "./fields.js";
import type { ParsedFile } from "./parse-compilation.js";
import { findRegions, regionPath } from "./regions.js";
import { pagesOf, readSourceLines, type SourceLine } from "./source-lines.js";
import { joinCjk } from "./text.js";

const MAX_CHUNK = 500;

/**
 * A file that is not in the compilation format is still searchable: its text
 * becomes paragraphs (a line that ends a sentence ends a paragraph), cut to a
 * size a citation can quote.
 */
export function parsePlain(text: string, sourceFile: string): ParsedFile {
  const { lines } = readSourceLines(text);
  const stem = sourceFile.replace(/\.[^.]+$/, "").replace(/[^\w-]+/g, "_");
  const id = `${stem}-plain`;
  const chunks: SourceLine[][] = [];
  let current: SourceLine[] = [];
  let size = 0;
  for (const line of lines) {
    current.push(line);
    size += line.text.length;
    if ((/[。！？.!?]$/.test(line.text) && size > 80) || size > MAX_CHUNK) {
      chunks.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) chunks.push(current);
  const title = lines[0]?.text.slice(0, 60) ?? sourceFile;
  const region = findRegions(text.slice(0, 2000))[0] ?? "未注明地区";
  const document: PolicyDocument = {
    id,
    sourceFile,
    ordinal: 1,
    title,
    shortTitle: title,
    issuer: "未注明",
    region,
    regionPath: regionPath(region),
    pages: pagesOf(lines),
    heading: "",
    preamble: "",
    closing: "",
    outline: [],
    format: "plain",
  };
  const measures: Measure[] = chunks.map((chunk, index) => {
    const body = joinCjk(chunk.map((l) => l.text).join("\n"));
    return {
      id: `${id}-${index + 1}`,
      documentId: id,
      index,
      marker: `第${index + 1}段`,
      path: [`第${index + 1}段`],
      text: body,
      pages: pagesOf(chunk),
      fields: extractFields(body),
    };
  });
  return { documents: [document], measures, frontMatter: "" };
}
