import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinCjk } from "../corpus/text.js";
import { IngestError } from "./errors.js";
import { paddleAvailability, paddleRecognise } from "./paddle.js";
import { ChildError, runChild } from "./run-child.js";

/**
 * Which program reads a scan's characters: PaddleOCR's PP-OCRv4 models (npm, offline) or Debian's tesseract
 * with chi_sim. Paddle is the default: on the fidelity bench's scans it reads noisy and turned pages that
 * tesseract loses (bench/results.json → fidelity).
 */
export type OcrEngine = "paddle" | "tesseract";
export const OCR_ENGINES: readonly OcrEngine[] = ["paddle", "tesseract"];

export interface OcrOptions {
  /** The engine tried first (OCR_ENGINE); the other reads a page when it is missing or fails on that page. */
  engine?: OcrEngine;
  /** Only this engine, no fallback (the bench compares the two). */
  only?: boolean;
  /** The Node executable and script that run PaddleOCR as a child (tests give a failing one). */
  paddle?: { node?: string; script?: string };
  /** The tesseract executable; Debian's `tesseract` on the PATH by default. */
  tesseract?: string;
  /** pdftoppm from poppler-utils, to turn a scanned PDF's pages into images. */
  pdftoppm?: string;
  /** Tesseract's language: simplified Chinese. */
  language?: string;
  /** Rendering resolution for scanned PDF pages. */
  dpi?: number;
  /**
   * A page pdftoppm has not rendered, or tesseract not read, in this long is given up (2 minutes; a page
   * takes about 5 s): its program is killed and the read fails instead of holding its upload forever.
   */
  pageTimeoutMs?: number;
  /** Told of each pdftoppm and tesseract started (its pid for the logs; tests watch it end). */
  onChild?: (child: ChildProcess) => void;
}

/** What one OCR read is given besides its options. */
export interface OcrRun {
  /** Aborting kills the program running (the upload was deleted, the server stops); the read rejects once it has exited. */
  signal?: AbortSignal;
  onProgress?: OcrProgress;
}

const INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

type Availability = { ok: true } | { ok: false; reason: string };

/** Whether tesseract with its language can run here; the reason when it cannot. */
async function tesseractAvailability(options: OcrOptions): Promise<Availability> {
  const { tesseract = "tesseract", language = "chi_sim" } = options;
  try {
    const { stdout, stderr } = await runChild(tesseract, ["--list-langs"], { timeoutMs: 10_000 });
    if (!`${stdout}\n${stderr}`.split(/\s+/).includes(language)) return { ok: false, reason: `tesseract has no ${language} language data; ${INSTALL_HINT}` };
    return { ok: true };
  } catch {
    return { ok: false, reason: `tesseract is not installed; ${INSTALL_HINT}` };
  }
}

/** The engines that can run here, the preferred one first (just it with `only`); the reasons when none can. */
export async function usableEngines(options: OcrOptions = {}): Promise<{ engines: OcrEngine[]; reasons: string[] }> {
  const preferred = options.engine ?? "paddle";
  const order = options.only ? [preferred] : [preferred, ...OCR_ENGINES.filter((engine) => engine !== preferred)];
  const engines: OcrEngine[] = [];
  const reasons: string[] = [];
  for (const engine of order) {
    const available = engine === "paddle" ? paddleAvailability() : await tesseractAvailability(options);
    if (available.ok) engines.push(engine);
    else reasons.push(available.reason);
  }
  return { engines, reasons };
}

/** Whether OCR can run here (either engine, or the one asked for with `only`); the reason when it cannot. */
export async function ocrAvailability(options: OcrOptions = {}): Promise<Availability> {
  const { engines, reasons } = await usableEngines(options);
  return engines.length ? { ok: true } : { ok: false, reason: reasons.join("; ") };
}

export async function requireOcr(name: string, options: OcrOptions): Promise<OcrEngine[]> {
  const { engines, reasons } = await usableEngines(options);
  if (!engines.length)
    throw new IngestError("OCR_UNAVAILABLE", `${name} is a scanned document (its pages are images) and needs OCR, but ${reasons.join("; ")}`);
  return engines;
}

/** A read stopped from outside (deleted, or the server stopping): not the file's fault, never recorded as its failure. */
export class ReadStoppedError extends IngestError {
  constructor(name: string, options: { cause?: unknown } = {}) {
    super("UNREADABLE", `${name}：读取已停止`, options);
    this.name = "ReadStoppedError";
  }
}

function childFailure(name: string, page: number, program: string, error: unknown, pageTimeoutMs: number): Error {
  if (!(error instanceof ChildError)) return error as Error;
  if (error.reason === "aborted") return new ReadStoppedError(name, { cause: error });
  if (error.reason === "timeout") {
    const what = program === "pdftoppm" ? `rendering page ${page} for OCR did not finish` : `OCR did not finish page ${page}`;
    return new IngestError("UNREADABLE", `${name}: ${what} within ${pageTimeoutMs / 1000} s; try again, or upload a smaller or clearer scan`, {
      cause: error,
    });
  }
  if (program === "pdftoppm") {
    return new IngestError(
      "OCR_UNAVAILABLE",
      `${name} is a scanned PDF and its page ${page} could not be rendered for OCR (pdftoppm: ${error.message}); ${INSTALL_HINT}`,
      { cause: error },
    );
  }
  return error;
}

/** Text of one image through tesseract, each line with the spaces OCR puts between Chinese characters removed. */
async function tesseractRecognise(imagePath: string, options: OcrOptions, signal?: AbortSignal): Promise<string[]> {
  const { tesseract = "tesseract", language = "chi_sim", pageTimeoutMs = 120_000 } = options;
  // psm 6: one uniform block of text, which suits a page of a notice.
  const { stdout } = await runChild(tesseract, [imagePath, "stdout", "-l", language, "--psm", "6"], {
    maxBuffer: 32 * 1024 * 1024,
    timeoutMs: pageTimeoutMs,
    signal,
    onChild: options.onChild,
  });
  return stdout
    .split(/\r?\n/)
    .map((line) => joinCjk(line))
    .filter(Boolean);
}

/**
 * One page image's lines by the first engine that reads it. An engine that fails on the page (crashes, writes
 * garbage) hands it to the next; a stop or the page time limit ends the read, since the next engine would
 * take as long again.
 */
async function recognise(name: string, page: number, imagePath: string, engines: OcrEngine[], options: OcrOptions, signal?: AbortSignal): Promise<string[]> {
  return (await readWithFirst(name, page, imagePath, engines, options, signal)).map(ocrBrackets);
}

async function readWithFirst(
  name: string,
  page: number,
  imagePath: string,
  engines: OcrEngine[],
  options: OcrOptions,
  signal?: AbortSignal,
): Promise<string[]> {
  const { pageTimeoutMs = 120_000 } = options;
  let failure: unknown;
  for (const engine of engines) {
    try {
      if (engine === "tesseract") return await tesseractRecognise(imagePath, options, signal);
      return await paddleRecognise(imagePath, { ...options.paddle, timeoutMs: pageTimeoutMs, signal, onChild: options.onChild });
    } catch (error) {
      if (error instanceof ChildError && (error.reason === "aborted" || error.reason === "timeout"))
        throw childFailure(name, page, engine, error, pageTimeoutMs);
      failure = error;
    }
  }
  throw new IngestError("UNREADABLE", `${name}：第 ${page} 页 OCR 识别失败（${(failure as Error).message}）`, { cause: failure });
}

/**
 * Brackets OCR reads half one way and half the other: (一） and （一) become （一）, 〔2025] a 文号's 〔2025〕.
 * The parser finds clauses by these marks, and both engines drop the full-width form on one side now and then.
 */
export function ocrBrackets(line: string): string {
  return line.replace(/[(（]([一二三四五六七八九十\d]{1,3})[)）]/g, "（$1）").replace(/[〔[［【](\d{4})[〕\]］】]/g, "〔$1〕");
}

/** Told after each page OCR has read: pages read so far, and the pages there are. */
export type OcrProgress = (pagesRead: number, pagesTotal: number) => void;

/**
 * The pages of a scanned PDF, each rendered by pdftoppm and then read by
 * tesseract, one page at a time: every program has the page time limit, one
 * image is on disk at a time, and a stop kills the program running. The page
 * count and sizes were checked when the file was uploaded.
 */
export async function ocrPdf(name: string, bytes: Uint8Array, pageCount: number, options: OcrOptions = {}, run: OcrRun = {}): Promise<string[][]> {
  const engines = await requireOcr(name, options);
  const { pdftoppm = "pdftoppm", dpi = 200, pageTimeoutMs = 120_000 } = options;
  const folder = await mkdtemp(join(tmpdir(), "relief-ocr-"));
  try {
    const input = join(folder, "input.pdf");
    await writeFile(input, bytes);
    const pages: string[][] = [];
    for (let page = 1; page <= pageCount; page++) {
      const image = join(folder, `page-${page}`);
      try {
        const args = ["-r", String(dpi), "-gray", "-png", "-f", String(page), "-l", String(page), "-singlefile", input, image];
        await runChild(pdftoppm, args, { timeoutMs: pageTimeoutMs, signal: run.signal, onChild: options.onChild });
      } catch (error) {
        throw childFailure(name, page, "pdftoppm", error, pageTimeoutMs);
      }
      pages.push(await recognise(name, page, `${image}.png`, engines, options, run.signal));
      await rm(`${image}.png`, { force: true });
      run.onProgress?.(pages.length, pageCount);
    }
    return pages;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** One scanned page given as an image (PNG, JPEG, TIFF). */
export async function ocrImage(name: string, bytes: Uint8Array, options: OcrOptions = {}, run: OcrRun = {}): Promise<string[][]> {
  const engines = await requireOcr(name, options);
  const folder = await mkdtemp(join(tmpdir(), "relief-ocr-"));
  try {
    const input = join(folder, "page.img");
    await writeFile(input, bytes);
    const lines = await recognise(name, 1, input, engines, options, run.signal);
    run.onProgress?.(1, 1);
    return [lines];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
