import type { Measure, OutlineHeading, PolicyDocument } from "../types.js";
import { parseChineseDate } from "./dates.js";
import { readDocNumber } from "./doc-number.js";
import { extractFields } from "./fields.js";
import { OutlineTracker, readMarker } from "./outline.js";
import { findRegions, isKnownRegion, regionPath } from "./regions.js";
import { pagesOf, readSourceLines, type SourceLine } from "./source-lines.js";
import { compact, joinCjk, joinLines, parseChineseNumber } from "./text.js";

export interface ParsedFile {
  documents: PolicyDocument[];
  measures: Measure[];
  /** Lines before the first document (the compilation's own headings). */
  frontMatter: string;
}

const DATE_IN_PARENS = /[（(]\d{4}年\d{1,2}月\d{1,2}日[）)]$/;
const TITLE_WORDS = /关于|印发|通知|方案|意见|办法|措施|规定|决定|要点|条例|细则|公告/;
const FOOTER = /\d{4}年\d{1,2}月\d{1,2}日印发$/;
const CLOSING_CUE = /^(各地(区)?[、，]?各部门(要|务必)?(认真|切实|结合)|本(方案|措施|通知|办法|意见|细则|要点)(自|由))/;
const HEADING_LOOKAHEAD = 6;
const SIGNATURE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/;
const SIGNATORY = /^[^，。；：:,]{2,30}(办公室|办公厅|人民政府|委员会|局|委|厅|中心|院|部|政府)$/;

interface DocumentHeading {
  ordinal: number;
  start: number;
  /** Index of the first line after the heading. */
  end: number;
  title: string;
  date?: string;
}

/** A numbered compilation entry: "4. 克拉玛依市…的通知（2023 年5 月10 日）", possibly over several lines. */
function readDocumentHeading(lines: SourceLine[], at: number, expected?: number): DocumentHeading | undefined {
  const first = compact(lines[at].text).match(/^(\d{1,3})[.．](?!\d)(.*)$/);
  if (!first) return undefined;
  const ordinal = Number(first[1]);
  if (expected !== undefined && ordinal !== expected) return undefined;
  let joined = first[2];
  for (let end = at; end < Math.min(lines.length, at + HEADING_LOOKAHEAD); end++) {
    if (end > at) joined += compact(lines[end].text);
    if (DATE_IN_PARENS.test(joined)) {
      const title = joined.replace(DATE_IN_PARENS, "");
      if (!TITLE_WORDS.test(title)) return undefined;
      return { ordinal, start: at, end: end + 1, title, date: parseChineseDate(joined.match(DATE_IN_PARENS)?.[0] ?? "") };
    }
    // A measure ends its first sentence long before a heading would.
    if (/[。；]/.test(joined)) return undefined;
  }
  return undefined;
}

/** "（五）新疆": a section of the compilation naming a province. */
function readSectionRegion(line: string): string | undefined {
  const m = compact(line).match(/^[（(]([一二三四五六七八九十]+)[）)](.{2,10})$/);
  if (!m || Number.isNaN(parseChineseNumber(m[1]))) return undefined;
  const region = findRegions(m[2])[0];
  return region && isKnownRegion(region) ? region : undefined;
}

export function looksLikeCompilation(text: string): boolean {
  const { lines } = readSourceLines(text);
  return lines.some((_, i) => readDocumentHeading(lines, i) !== undefined);
}

export function parseCompilation(text: string, sourceFile: string): ParsedFile {
  const { lines } = readSourceLines(text);
  const headings: DocumentHeading[] = [];
  const sectionRegions = new Map<number, string>();
  for (let i = 0; i < lines.length; i++) {
    const expected = headings.length ? headings[headings.length - 1].ordinal + 1 : undefined;
    const heading = readDocumentHeading(lines, i, expected);
    if (!heading) continue;
    const region = i > 0 ? readSectionRegion(lines[i - 1].text) : undefined;
    if (region) sectionRegions.set(headings.length, region);
    headings.push(heading);
    i = heading.end - 1;
  }
  // A section line before a document belongs to neither the previous document nor this one.
  const sectionLineBefore = (index: number) => (sectionRegions.has(index) ? 1 : 0);

  const frontEnd = headings.length ? headings[0].start - sectionLineBefore(0) : lines.length;
  const frontMatter = lines
    .slice(0, frontEnd)
    .map((l) => l.text)
    .join("\n");
  const stem = sourceFile.replace(/\.[^.]+$/, "").replace(/[^\w-]+/g, "_");

  const documents: PolicyDocument[] = [];
  const measures: Measure[] = [];
  let section = frontMatter ? findRegions(frontMatter).find(isKnownRegion) : undefined;
  headings.forEach((heading, h) => {
    section = sectionRegions.get(h) ?? section;
    const stop = h + 1 < headings.length ? headings[h + 1].start - sectionLineBefore(h + 1) : lines.length;
    const parsed = parseDocument({
      id: `${stem}-${heading.ordinal}`,
      sourceFile,
      heading,
      headingLines: lines.slice(heading.start - sectionLineBefore(h), heading.end),
      body: lines.slice(heading.end, stop),
      sectionRegion: section,
    });
    documents.push(parsed.document);
    measures.push(...parsed.measures);
  });
  return { documents, measures, frontMatter };
}

/** The heading of a document that stands alone (an uploaded PDF, Word file or web page), found by src/ingest. */
export interface StandaloneHeading {
  title: string;
  date?: string;
  docNumber?: string;
  /** The issuing body as signed at the end (昌吉市人民政府办公室), when the title does not name it. */
  signatory?: string;
  /** Indexes of the source lines that hold the title and the 文号; they are left out of the body. */
  headingLines: number[];
}

/**
 * One document that is not in a compilation: the same outline, fields and
 * closing rules as a compilation entry, with the heading given by the caller.
 */
export function parseStandaloneDocument(text: string, sourceFile: string, heading: StandaloneHeading): ParsedFile {
  const { lines } = readSourceLines(text);
  const skip = new Set(heading.headingLines);
  const stem = sourceFile.replace(/\.[^.]+$/, "").replace(/[^\w-]+/g, "_");
  const parsed = parseDocument({
    id: `${stem}-1`,
    sourceFile,
    heading: { ordinal: 1, start: 0, end: 0, title: heading.title, date: heading.date },
    headingLines: lines.filter((_, i) => skip.has(i)),
    body: lines.filter((_, i) => !skip.has(i)),
    docNumber: heading.docNumber,
    signatory: heading.signatory,
    // A standalone document's place: its title's, else its signatory's.
    sectionRegion: heading.signatory ? findRegions(heading.signatory).find(isKnownRegion) : undefined,
  });
  return { documents: [parsed.document], measures: parsed.measures, frontMatter: "" };
}

interface DocumentInput {
  /** Given for a standalone document, whose 文号 need not be the line after the title. */
  docNumber?: string;
  signatory?: string;
  id: string;
  sourceFile: string;
  heading: DocumentHeading;
  headingLines: SourceLine[];
  body: SourceLine[];
  sectionRegion?: string;
}

interface Item {
  depth: number;
  marker: string;
  lines: SourceLine[];
  firstText: string;
  children: number;
}

function parseDocument(input: DocumentInput): { document: PolicyDocument; measures: Measure[] } {
  const { body, heading } = input;
  let cursor = 0;
  let docNumber = input.docNumber;
  if (!docNumber && body[0] && readDocNumber(compact(body[0].text))) {
    docNumber = readDocNumber(compact(body[0].text));
    cursor = 1;
  }

  const tracker = new OutlineTracker();
  const preamble: SourceLine[] = [];
  const items: Item[] = [];
  for (; cursor < body.length; cursor++) {
    const line = body[cursor];
    const marker = readMarker(line.text);
    const depth = marker ? tracker.accept(marker) : undefined;
    if (marker && depth !== undefined) {
      const parent = [...items].reverse().find((item) => item.depth < depth);
      if (parent) parent.children++;
      items.push({ depth, marker: marker.label, lines: [line], firstText: marker.rest, children: 0 });
    } else if (items.length) {
      items[items.length - 1].lines.push(line);
    } else {
      preamble.push(line);
    }
  }

  // A signature block (issuer, date) is the document's, not a clause's: before an 附件 as well as at the end.
  const closing = items.flatMap((item, i) => (items[i + 1] && /^附件/.test(items[i + 1].marker) ? splitClosing([item]) : []));
  closing.push(...splitClosing(items));
  const title = heading.title;
  const regions = findRegions(title);
  const region = regions.find((r) => regionPath(r).length > 1) ?? regions[0] ?? input.sectionRegion ?? "未注明地区";
  const document: PolicyDocument = {
    id: input.id,
    sourceFile: input.sourceFile,
    ordinal: heading.ordinal,
    title,
    shortTitle: shortTitleOf(title),
    issuer: issuerOf(title, docNumber, region, preamble, input.signatory),
    docNumber,
    date: heading.date,
    region,
    regionPath: regionPath(region),
    pages: pagesOf([...input.headingLines, ...body]),
    heading: input.headingLines.map((l) => l.text).join("\n"),
    preamble: joinCjk(preamble.map((l) => l.text).join("\n")),
    closing: joinCjk(closing.map((l) => l.text).join("\n")),
    outline: [],
    format: "compilation",
  };

  const measures: Measure[] = [];
  const open: Item[] = [];
  const outline: OutlineHeading[] = [];
  for (const item of items) {
    open.length = item.depth;
    open[item.depth] = item;
    const text = joinLines([item.firstText, ...item.lines.slice(1).map((l) => l.text)]);
    if (item.children > 0) {
      outline.push({ marker: item.marker, text, beforeMeasure: measures.length });
      continue;
    }
    const path = open.slice(0, item.depth).map((parent) => `${parent.marker}${headingText(parent)}`);
    path.push(item.marker);
    measures.push({
      id: `${input.id}-${measures.length + 1}`,
      documentId: input.id,
      index: measures.length,
      marker: item.marker,
      path,
      heading: shortHeading(text),
      text,
      pages: pagesOf(item.lines),
      fields: extractFields(text),
    });
  }
  document.outline = outline;
  return { document, measures };
}

function headingText(item: Item): string {
  return joinCjk([item.firstText, ...item.lines.slice(1).map((l) => l.text)].join("\n")).replace(/[。：:]$/, "");
}

/** Moves the sign-off and closing paragraphs out of the last measure. */
function splitClosing(items: Item[]): SourceLine[] {
  const last = items[items.length - 1];
  if (!last) return [];
  for (let i = 1; i < last.lines.length; i++) {
    const text = compact(last.lines[i].text);
    const startsParagraph = /[。！？]$/.test(compact(last.lines[i - 1].text));
    if (FOOTER.test(text) || (startsParagraph && CLOSING_CUE.test(text))) return last.lines.splice(i);
    // A signature block: the issuing body on a line of its own, then the date alone.
    if (i >= 2 && SIGNATURE_DATE.test(text) && SIGNATORY.test(compact(last.lines[i - 1].text))) return last.lines.splice(i - 1);
  }
  return [];
}

/** "加快推进涉营商环境立法。…" → the short heading, when the item opens with one. */
function shortHeading(text: string): string | undefined {
  const m = text.match(/^([^。，；：:,]{2,30})[。：:]/);
  if (!m || m[0].length >= text.length) return undefined;
  return m[1];
}

function shortTitleOf(title: string): string {
  const quoted = title.match(/印发[^《]*《(.+)》/);
  if (quoted) return quoted[1];
  const issued = title.match(/关于(?:印发|转发)(.+?)的通知$/);
  if (issued) return issued[1];
  return title.replace(/的通知$/, "");
}

function issuerOf(title: string, docNumber: string | undefined, region: string, preamble: SourceLine[], signatory?: string): string {
  const before = title.match(/^(.+?)(?:关于|印发)/)?.[1];
  if (before && before.length <= 30) return before;
  if (signatory) return signatory;
  if (docNumber) {
    const level = regionPath(region).length > 1 ? "室" : "厅";
    if (/政办发|政办函/.test(docNumber)) return `${region}人民政府办公${level}`;
    if (/政发|政函/.test(docNumber)) return `${region}人民政府`;
  }
  // The signature block: the line before the notice's date.
  const dateAt = preamble.findIndex((l) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(compact(l.text)));
  if (dateAt > 0) return compact(preamble[dateAt - 1].text);
  return region;
}
