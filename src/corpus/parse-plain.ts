import type { Measure, PolicyDocument } from "../types.js";
import { extractFields } from "./fields.js";
import { readMarker } from "./outline.js";
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
  const labels = citationLabels(chunks);
  const measures: Measure[] = chunks.map((chunk, index) => {
    const body = joinCjk(chunk.map((l) => l.text).join("\n"));
    return {
      id: `${id}-${index + 1}`,
      documentId: id,
      index,
      marker: labels[index],
      path: [labels[index]],
      text: body,
      pages: pagesOf(chunk),
      fields: extractFields(body),
    };
  });
  return { documents: [document], measures, frontMatter: "" };
}

/**
 * How a paragraph is cited, so a reader can find it in the original: its own
 * number when it opens with one (一、 （二）), else its page (第2页), told apart
 * by order when a page has several (第2页之3). A count of paragraphs (第5段)
 * is found in no printed copy.
 */
function citationLabels(chunks: SourceLine[][]): string[] {
  const pageOf = (chunk: SourceLine[]) => chunk[0]?.page || 1;
  const perPage = new Map<number, number>();
  for (const chunk of chunks) perPage.set(pageOf(chunk), (perPage.get(pageOf(chunk)) ?? 0) + 1);
  const seen = new Map<number, number>();
  return chunks.map((chunk) => {
    const page = pageOf(chunk);
    const nth = (seen.get(page) ?? 0) + 1;
    seen.set(page, nth);
    const marker = readMarker(chunk[0]?.text.replace(/\s+/g, "") ?? "");
    if (marker && marker.kind !== "annex") return marker.label;
    return perPage.get(page)! > 1 ? `第${page}页之${nth}` : `第${page}页`;
  });
}
