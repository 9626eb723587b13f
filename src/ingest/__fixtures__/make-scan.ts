import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ocrAvailability } from "../ocr.js";
import { makeImagePdf, makePdf } from "./make-pdf.js";

/** Whether tesseract with chi_sim and pdftoppm are installed, so a scan can be made and read here. */
export async function canOcr(): Promise<boolean> {
  if (!(await ocrAvailability()).ok) return false;
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A scanned page: `lines` printed large, rendered to an image by pdftoppm, and the image wrapped in a PDF with no text layer. */
export async function makeScannedPdf(lines: string[]): Promise<Buffer> {
  const folder = mkdtempSync(join(tmpdir(), "relief-scan-"));
  try {
    const pdfPath = join(folder, "printed.pdf");
    writeFileSync(pdfPath, await makePdf([lines], { fontSize: 16 }));
    execFileSync("pdftoppm", ["-r", "150", "-gray", "-png", "-singlefile", pdfPath, join(folder, "page")]);
    return await makeImagePdf(readFileSync(join(folder, "page.png")));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A 1×1 white PNG wrapped in a PDF: a page that is only an image (needs OCR, and OCR finds nothing in it). */
export function makeBlankScan(): Promise<Buffer> {
  return makeImagePdf(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==", "base64"));
}
