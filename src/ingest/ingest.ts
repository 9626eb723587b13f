import { looksLikeCompilation, type ParsedFile, parseCompilation } from "../corpus/parse-compilation.js";
import { readSourceLines } from "../corpus/source-lines.js";
import { fullWidthPunctuation, toWrittenForms } from "../corpus/written-forms.js";
import { readDocxText } from "./docx.js";
import { IngestError } from "./errors.js";
import { decodeHtml, readHtmlText } from "./html.js";
import { imageSize } from "./image-size.js";
import { DEFAULT_UPLOAD_LIMITS, formatName, megabytes, type UploadLimits } from "./limits.js";
import { type OcrOptions, type OcrProgress, ocrImage, ocrPdf } from "./ocr.js";
import { repairOcrText } from "./ocr-repair.js";
import { readOfdText } from "./ofd.js";
import { MIN_TEXT_PER_PAGE, readPdfText } from "./pdf.js";
import { reviewWarnings } from "./review.js";
import { detectFormat, type SourceFormat } from "./source-format.js";
import { type MeasuredPage, type SourceLayout, sourceLayout } from "./source-layout.js";
import { standaloneOrPlain } from "./standalone.js";
import { removeRunningLines, toPagedText } from "./text-layout.js";
import { checkDocxArchive } from "./zip-guard.js";

export interface IngestInput {
  /** The uploaded file's name, for messages and the format's tie-break. */
  name: string;
  bytes: Uint8Array;
  /** The name the parse is filed under; its stem becomes the ids' prefix. */
  sourceFile?: string;
  ocr?: OcrOptions;
  /** Told after each page OCR reads (OCR only: other formats are read at once). */
  onProgress?: OcrProgress;
  /** Aborting stops the read and kills the OCR program running (the upload was deleted, the server stops). */
  signal?: AbortSignal;
  /** Sizes, pages and unpacked bytes a file may have (the defaults when left out). */
  limits?: UploadLimits;
}

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
  /** Where each clause is on the pages, for a text layer with positions (PDF, OFD); the original view highlights it there. */
  layout?: SourceLayout;
}

/**
 * A file read as far as it can be without OCR: done, or found to need OCR (an
 * image, or a PDF without a text layer), which takes seconds a page and so is
 * done in the background. Every bound is checked here, before the work it guards.
 */
export type PreparedDocument = { needsOcr: false; result: IngestResult } | { needsOcr: true; format: "pdf" | "image"; pageCount: number };

/** Too few characters for its pages: the pages are images, the PDF needs OCR. */
const lacksText = (layer: { pages: string[][]; characters: number }) => layer.characters < MIN_TEXT_PER_PAGE * Math.max(1, layer.pages.length);

/** Refuses a file larger than its format allows, or an image with more pixels than OCR should take on. */
function checkSize(name: string, format: SourceFormat, bytes: Uint8Array, limits: UploadLimits): void {
  const max = limits.maxBytes[format];
  if (bytes.byteLength > max) {
    throw new IngestError("TOO_LARGE", `${name}：${formatName(format)}有 ${megabytes(bytes.byteLength)}，超过 ${megabytes(max)} 的上限；请拆分后分别上传`);
  }
  if (format !== "image") return;
  const size = imageSize(bytes);
  if (size && size.width * size.height > limits.maxImagePixels) {
    throw new IngestError(
      "TOO_LARGE",
      `${name}：图片为 ${size.width}×${size.height} 像素，超过 ${Math.round(limits.maxImagePixels / 1e6)} 百万像素的上限；请以 200–300 dpi 重新扫描后上传`,
    );
  }
}

/** Reads a file into documents and measures as far as it goes without OCR (see PreparedDocument). */
export async function prepareDocument(input: IngestInput): Promise<PreparedDocument> {
  const { name, bytes } = input;
  const limits = input.limits ?? DEFAULT_UPLOAD_LIMITS;
  const format = detectFormat(name, bytes);
  checkSize(name, format, bytes, limits);
  const warnings: string[] = [];
  let pages: string[][] = [];
  let measured: { pages: MeasuredPage[]; unit: SourceLayout["unit"] } | undefined;
  if (format === "image") return { needsOcr: true, format, pageCount: 1 };
  if (format === "pdf") {
    const layer = await readPdfText(bytes, { name, maxPages: limits.maxPages, maxPageArea: limits.maxPageArea });
    if (lacksText(layer)) return { needsOcr: true, format, pageCount: Math.max(1, layer.pages.length) };
    pages = layer.pages;
    measured = { pages: layer.measured, unit: "pt" };
  } else if (format === "docx") {
    checkDocxArchive(name, bytes, limits.docx);
    const read = await readDocxText(name, bytes);
    pages = read.pages;
    warnings.push(...read.warnings);
  } else if (format === "ofd") {
    const layer = readOfdText(name, bytes, limits);
    // An OFD of scanned pages has images only; OCR reads PDFs and images, not OFD's pages.
    if (lacksText(layer))
      throw new IngestError("EMPTY", `${name}：OFD 文件中没有文字层（可能是扫描件）；请用 OFD 阅读器导出为 PDF 或图片后上传，系统将用 OCR 识别`);
    pages = layer.pages;
    measured = { pages: layer.measured, unit: "mm" };
  } else if (format === "html") {
    pages = readHtmlText(decodeHtml(bytes)).pages;
  }
  // A .txt is read as it is: it may be a compilation with its own page markers.
  const text = format === "txt" ? new TextDecoder("utf-8").decode(bytes) : toPagedText({ pages });
  const result = parseText({ name, sourceFile: input.sourceFile ?? name, format, ocr: false, text, warnings, maxMeasures: limits.maxMeasures });
  const layout = measured && sourceLayout(measured.pages, result.parsed.measures, measured.unit);
  return { needsOcr: false, result: layout ? { ...result, layout } : result };
}

/** The pages of a file that needs OCR, rendered by pdftoppm and read by PaddleOCR or tesseract (child processes: the thread only waits). */
export async function readByOcr(input: IngestInput, prepared: Extract<PreparedDocument, { needsOcr: true }>): Promise<string[][]> {
  const run = { signal: input.signal, onProgress: input.onProgress };
  const ocr = { engine: (input.limits ?? DEFAULT_UPLOAD_LIMITS).ocrEngine, ...input.ocr };
  const pages =
    prepared.format === "pdf" ? await ocrPdf(input.name, input.bytes, prepared.pageCount, ocr, run) : await ocrImage(input.name, input.bytes, ocr, run);
  // A scan's running header and page numbers are on its pages as they are on a text layer's.
  return removeRunningLines(pages);
}

/** The text of a file in the parser's shape, through the one parser (src/corpus): outline, fields, pages, and what staff should check. */
export function parseText(read: {
  name: string;
  sourceFile: string;
  format: SourceFormat;
  ocr: boolean;
  text: string;
  warnings: string[];
  maxMeasures?: number;
}): IngestResult {
  const { name, sourceFile, format, ocr, maxMeasures = DEFAULT_UPLOAD_LIMITS.maxMeasures } = read;
  // Every format's text and OCR's pass here: radicals become the ideographs they stand for, justified lines close up.
  // OCR reads full-width marks as ASCII ((一) for （一）) and breaks outline markers a text layer keeps
  // (repairOcrText); a text layer keeps what its typist used.
  const text = ocr ? repairOcrText(fullWidthPunctuation(toWrittenForms(read.text))) : toWrittenForms(read.text);
  const warnings = [...read.warnings];
  if (ocr) warnings.push(`${name}：由 OCR 识别，发布前请对照原件核对数字、日期和单位名称`);
  if (!readSourceLines(text).lines.length) throw new IngestError("EMPTY", `${name}：文件中没有读出文字`);
  const parsed = looksLikeCompilation(text) ? { parsed: parseCompilation(text, sourceFile) } : standaloneOrPlain(text, sourceFile, name);
  if (parsed.warning) warnings.push(parsed.warning);
  const pageCount = Math.max(1, (text.match(/^# Page \d+:/gm) ?? []).length);
  const policy = parsed.parsed.documents.some((d) => d.format === "compilation");
  if (!parsed.parsed.measures.length) throw new IngestError("EMPTY", `${name}：文件中没有读出文字`);
  if (parsed.parsed.measures.length > maxMeasures) {
    throw new IngestError("TOO_LARGE", `${name}：读出 ${parsed.parsed.measures.length} 条条款或段落，超过每个文件 ${maxMeasures} 条的上限；请拆分后分别上传`);
  }
  return { format, ocr, text, parsed: parsed.parsed, pageCount, policy, warnings: [...warnings, ...reviewWarnings(parsed.parsed, name)] };
}

/**
 * Reads an uploaded file into documents and measures, here on this thread:
 * the format's extractor makes text in the seed's shape, and the one parser
 * (src/corpus) finds the outline and fields, so every format gives the same
 * measures. The server reads uploads through `ingestOffThread`, which runs the
 * same steps in a worker thread.
 */
export async function ingestDocument(input: IngestInput): Promise<IngestResult> {
  const prepared = await prepareDocument(input);
  if (!prepared.needsOcr) return prepared.result;
  const pages = await readByOcr(input, prepared);
  return parseText({
    name: input.name,
    sourceFile: input.sourceFile ?? input.name,
    format: prepared.format,
    ocr: true,
    text: toPagedText({ pages }),
    warnings: [],
  });
}
