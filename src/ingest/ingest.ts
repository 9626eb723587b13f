import { looksLikeCompilation, type ParsedFile, parseCompilation } from "../corpus/parse-compilation.js";
import { readSourceLines } from "../corpus/source-lines.js";
import { readDocxText } from "./docx.js";
import { IngestError } from "./errors.js";
import { decodeHtml, readHtmlText } from "./html.js";
import { type OcrOptions, type OcrProgress, ocrImage, ocrPdf } from "./ocr.js";
import { MIN_TEXT_PER_PAGE, readPdfText } from "./pdf.js";
import { reviewWarnings } from "./review.js";
import { detectFormat, type SourceFormat } from "./source-format.js";
import { standaloneOrPlain } from "./standalone.js";
import { toPagedText } from "./text-layout.js";

export interface IngestInput {
  /** The uploaded file's name, for messages and the format's tie-break. */
  name: string;
  bytes: Uint8Array;
  /** The name the parse is filed under; its stem becomes the ids' prefix. */
  sourceFile?: string;
  ocr?: OcrOptions;
  /** Told after each page OCR reads (OCR only: other formats are read at once). */
  onProgress?: OcrProgress;
  /** The PDF's text layer when the caller has read it already (`inspectUpload`), so it is not read twice. */
  textLayer?: PdfTextLayer;
}

export type PdfTextLayer = Awaited<ReturnType<typeof readPdfText>>;

export interface IngestResult {
  format: SourceFormat;
  /** Whether the text came from OCR. */
  ocr: boolean;
  pageCount: number;
  /** The text in the parser's shape (`# Page N:` markers), kept so the parse can be repeated. */
  text: string;
  parsed: ParsedFile;
  /** Whether it read as a policy document (a title and numbered clauses), not as plain paragraphs. */
  policy: boolean;
  warnings: string[];
}

/**
 * What a file is before it is read: its format, and whether reading it takes
 * OCR (an image, or a PDF without a text layer). OCR takes seconds a page, so
 * such a file is read in the background. A PDF's text layer is returned to be
 * given to `ingestDocument`, which then does not read it again.
 */
export async function inspectUpload(
  name: string,
  bytes: Uint8Array,
): Promise<{ format: SourceFormat; needsOcr: boolean; pageCount: number; textLayer?: PdfTextLayer }> {
  const format = detectFormat(name, bytes);
  if (format === "image") return { format, needsOcr: true, pageCount: 1 };
  if (format !== "pdf") return { format, needsOcr: false, pageCount: 1 };
  const textLayer = await readPdfText(bytes);
  return { format, needsOcr: lacksText(textLayer), pageCount: Math.max(1, textLayer.pages.length), textLayer };
}

/** Too few characters for its pages: the pages are images, the PDF needs OCR. */
const lacksText = (layer: PdfTextLayer) => layer.characters < MIN_TEXT_PER_PAGE * Math.max(1, layer.pages.length);

/**
 * Reads an uploaded file into documents and measures: the format's extractor
 * makes text in the seed's shape, and the one parser (src/corpus) finds the
 * outline and fields, so every format gives the same measures.
 */
export async function ingestDocument(input: IngestInput): Promise<IngestResult> {
  const { name, bytes } = input;
  const sourceFile = input.sourceFile ?? name;
  const format = detectFormat(name, bytes);
  const warnings: string[] = [];
  let pages: string[][];
  let ocr = false;
  if (format === "pdf") {
    const layer = input.textLayer ?? (await readPdfText(bytes));
    pages = layer.pages;
    if (lacksText(layer)) {
      pages = await ocrPdf(name, bytes, input.ocr, input.onProgress);
      ocr = true;
    }
  } else if (format === "image") {
    pages = await ocrImage(name, bytes, input.ocr, input.onProgress);
    ocr = true;
  } else if (format === "docx") {
    const read = await readDocxText(name, bytes);
    pages = read.pages;
    warnings.push(...read.warnings);
  } else if (format === "html") {
    pages = readHtmlText(decodeHtml(bytes)).pages;
  } else {
    pages = [];
  }
  if (ocr) warnings.push(`${name}: read by OCR; compare figures and names with the original before publishing`);
  // A .txt is read as it is: it may be a compilation with its own page markers.
  const text = format === "txt" ? new TextDecoder("utf-8").decode(bytes) : toPagedText({ pages });
  if (!readSourceLines(text).lines.length) throw new IngestError("EMPTY", `${name}: no text found in the file`);
  const read = looksLikeCompilation(text) ? { parsed: parseCompilation(text, sourceFile) } : standaloneOrPlain(text, sourceFile);
  return finish({ format, ocr, text, parsed: read.parsed, warnings: [...warnings, ...(read.warning ? [read.warning] : [])] }, name);
}

function finish(result: { format: SourceFormat; ocr: boolean; text: string; parsed: ParsedFile; warnings: string[] }, name: string): IngestResult {
  const pageCount = Math.max(1, (result.text.match(/^# Page \d+:/gm) ?? []).length);
  const policy = result.parsed.documents.some((d) => d.format === "compilation");
  if (!result.parsed.measures.length) throw new IngestError("EMPTY", `${name}: no text found in the file`);
  return { ...result, pageCount, policy, warnings: [...result.warnings, ...reviewWarnings(result.parsed)] };
}
