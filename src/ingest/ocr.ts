import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { joinCjk } from "../corpus/text.js";
import { IngestError } from "./errors.js";

const run = promisify(execFile);

export interface OcrOptions {
  /** The tesseract executable; Debian's `tesseract` on the PATH by default. */
  tesseract?: string;
  /** pdftoppm from poppler-utils, to turn a scanned PDF's pages into images. */
  pdftoppm?: string;
  /** Tesseract's language: simplified Chinese. */
  language?: string;
  /** Rendering resolution for scanned PDF pages. */
  dpi?: number;
  /** A page tesseract has not read in this long is given up (2 minutes; a page takes about 5 s): the read fails instead of holding its upload forever. */
  pageTimeoutMs?: number;
}

const INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/** Whether OCR can run here; the reason when it cannot. */
export async function ocrAvailability(options: OcrOptions = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
  const { tesseract = "tesseract", language = "chi_sim" } = options;
  try {
    const { stdout, stderr } = await run(tesseract, ["--list-langs"]);
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

/** Text of one image through tesseract, each line with the spaces OCR puts between Chinese characters removed. */
async function recognise(name: string, page: number, imagePath: string, options: OcrOptions): Promise<string[]> {
  const { tesseract = "tesseract", language = "chi_sim", pageTimeoutMs = 120_000 } = options;
  let stdout: string;
  try {
    // psm 6: one uniform block of text, which suits a page of a notice.
    ({ stdout } = await run(tesseract, [imagePath, "stdout", "-l", language, "--psm", "6"], { maxBuffer: 32 * 1024 * 1024, timeout: pageTimeoutMs }));
  } catch (error) {
    if ((error as { killed?: boolean }).killed) {
      throw new IngestError(
        "UNREADABLE",
        `${name}: OCR did not finish page ${page} within ${pageTimeoutMs / 1000} s; try again, or upload a smaller or clearer scan`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return stdout
    .split(/\r?\n/)
    .map((line) => joinCjk(line))
    .filter(Boolean);
}

/** Told after each page OCR has read: pages read so far, and the pages there are. */
export type OcrProgress = (pagesRead: number, pagesTotal: number) => void;

/** The pages of a scanned PDF, rendered by pdftoppm and read by tesseract. */
export async function ocrPdf(name: string, bytes: Uint8Array, options: OcrOptions = {}, onProgress?: OcrProgress): Promise<string[][]> {
  await requireOcr(name, options);
  const folder = await mkdtemp(join(tmpdir(), "relief-ocr-"));
  try {
    const input = join(folder, "input.pdf");
    await writeFile(input, bytes);
    try {
      await run(options.pdftoppm ?? "pdftoppm", ["-r", String(options.dpi ?? 200), "-gray", "-png", input, join(folder, "page")]);
    } catch (error) {
      throw new IngestError(
        "OCR_UNAVAILABLE",
        `${name} is a scanned PDF and its pages could not be rendered for OCR (pdftoppm: ${(error as Error).message}); ${INSTALL_HINT}`,
        { cause: error },
      );
    }
    const images = (await readdir(folder)).filter((f) => f.startsWith("page") && f.endsWith(".png")).sort((a, b) => pageNumber(a) - pageNumber(b));
    const pages: string[][] = [];
    for (const image of images) {
      pages.push(await recognise(name, pages.length + 1, join(folder, image), options));
      onProgress?.(pages.length, images.length);
    }
    return pages;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const pageNumber = (file: string) => Number(file.match(/(\d+)\.png$/)?.[1] ?? 0);

/** One scanned page given as an image (PNG, JPEG, TIFF). */
export async function ocrImage(name: string, bytes: Uint8Array, options: OcrOptions = {}, onProgress?: OcrProgress): Promise<string[][]> {
  await requireOcr(name, options);
  const folder = await mkdtemp(join(tmpdir(), "relief-ocr-"));
  try {
    const input = join(folder, "page.img");
    await writeFile(input, bytes);
    const lines = await recognise(name, 1, input, options);
    onProgress?.(1, 1);
    return [lines];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
