import type { OcrEngine } from "./ocr.js";
import type { SourceFormat } from "./source-format.js";

/**
 * How much one uploaded file may ask of the server. Each bound is checked
 * before the work it guards (the page tree before any page is read, the zip's
 * directory before anything is unpacked), so a hostile or broken file is
 * refused in milliseconds instead of holding a thread, memory or OCR for hours.
 */
export interface UploadLimits {
  /** Pages of a PDF (UPLOAD_MAX_PAGES): past it the file is refused before its pages are read or rendered. */
  maxPages: number;
  /** Area of one PDF page in square points: A0 at most. A page of 14,400 points a side rendered at 200 dpi took 3 GB. */
  maxPageArea: number;
  /** Pixels of an uploaded image (width × height), read from its header before OCR sees it. */
  maxImagePixels: number;
  /** Bytes of a file, by format: text and web pages are parsed whole, so they get less room than a PDF. */
  maxBytes: Record<SourceFormat, number>;
  /** A Word (.docx) or OFD file is a zip: what its parts may unpack to, in all and compared with their packed size. */
  docx: { maxUnpackedBytes: number; maxRatio: number; maxEntries: number };
  /** Clauses (or paragraphs) one file may give: the read hands them to the main thread, which takes them in at once. */
  maxMeasures: number;
  /** Reading one file's text off the main thread (text layer, Word, web page, parse): past it the reader is stopped. */
  readTimeoutMs: number;
  /** Memory of the thread that reads uploads: a file that needs more fails alone, the server goes on. */
  readMemoryMb: number;
  /** The OCR engine tried first on a scan (OCR_ENGINE); the other reads a page it cannot. Kept here because it travels with every read. */
  ocrEngine: OcrEngine;
}

const MB = 1024 * 1024;
/** A0, 841 × 1189 mm, in points (1/72 inch). */
const A0_AREA = 2384 * 3370;

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxPages: 300,
  maxPageArea: A0_AREA,
  maxImagePixels: 60_000_000,
  maxBytes: { pdf: 50 * MB, image: 20 * MB, docx: 20 * MB, ofd: 50 * MB, html: 5 * MB, txt: 10 * MB },
  docx: { maxUnpackedBytes: 64 * MB, maxRatio: 100, maxEntries: 5_000 },
  maxMeasures: 5_000,
  readTimeoutMs: 60_000,
  readMemoryMb: 768,
  ocrEngine: "paddle",
};

/** The defaults with the settings given (UPLOAD_MAX_PAGES, OCR_ENGINE). */
export function uploadLimits(overrides: Partial<UploadLimits> = {}): UploadLimits {
  return { ...DEFAULT_UPLOAD_LIMITS, ...overrides };
}

const FORMAT_NAMES: Record<SourceFormat, string> = { pdf: "PDF", image: "图片", docx: "Word 文件", ofd: "OFD 文件", html: "网页", txt: "文本文件" };

export const formatName = (format: SourceFormat) => FORMAT_NAMES[format];

/** "12.5 MB" for a message. */
export const megabytes = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
