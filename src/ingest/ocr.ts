import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinCjk } from "../corpus/text.js";
import { IngestError } from "./errors.js";
import { ChildError, runChild } from "./run-child.js";

export interface OcrOptions {
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

/** Whether OCR can run here; the reason when it cannot. */
export async function ocrAvailability(options: OcrOptions = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { tesseract = "tesseract", language = "chi_sim" } = options;
  try {
    const { stdout, stderr } = await runChild(tesseract, ["--list-langs"], { timeoutMs: 10_000 });
    if (!`${stdout}\n${stderr}`.split(/\s+/).includes(language)) return { ok: false, reason: `tesseract has no ${language} language data; ${INSTALL_HINT}` };
    return { ok: true };
  } catch {
    return { ok: false, reason: `tesseract is not installed; ${INSTALL_HINT}` };
  }
}

export async function requireOcr(name: string, options: OcrOptions): Promise<void> {
  const available = await ocrAvailability(options);
  if (!available.ok) throw new IngestError("OCR_UNAVAILABLE", `${name} is a scanned document (its pages are images) and needs OCR, but ${available.reason}`);
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
async function recognise(name: string, page: number, imagePath: string, options: OcrOptions, signal?: AbortSignal): Promise<string[]> {
  const { tesseract = "tesseract", language = "chi_sim", pageTimeoutMs = 120_000 } = options;
  let stdout: string;
  try {
    // psm 6: one uniform block of text, which suits a page of a notice.
    ({ stdout } = await runChild(tesseract, [imagePath, "stdout", "-l", language, "--psm", "6"], {
      maxBuffer: 32 * 1024 * 1024,
      timeoutMs: pageTimeoutMs,
      signal,
      onChild: options.onChild,
    }));
  } catch (error) {
    throw childFailure(name, page, "tesseract", error, pageTimeoutMs);
  }
  return stdout
    .split(/\r?\n/)
    .map((line) => joinCjk(line))
    .filter(Boolean);
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
  await requireOcr(name, options);
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
      pages.push(await recognise(name, page, `${image}.png`, options, run.signal));
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
  await requireOcr(name, options);
  const folder = await mkdtemp(join(tmpdir(), "relief-ocr-"));
  try {
    const input = join(folder, "page.img");
    await writeFile(input, bytes);
    const lines = await recognise(name, 1, input, options, run.signal);
    run.onProgress?.(1, 1);
    return [lines];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
