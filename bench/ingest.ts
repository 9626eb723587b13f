// Ingest speed per format, in pages per second: the seed's documents printed as PDF, Word and web pages
// (fixtures made here, as the tests make them), read back through src/ingest; OCR on one scanned page.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeDocx } from "../src/ingest/__fixtures__/make-docx.js";
import { makeImagePdf, makePdf } from "../src/ingest/__fixtures__/make-pdf.js";
import { standaloneSeedDocument } from "../src/ingest/__fixtures__/seed-documents.js";
import { ingestDocument } from "../src/ingest/ingest.js";
import { ocrAvailability } from "../src/ingest/ocr.js";

const documents = [1, 2, 3, 5].map(standaloneSeedDocument);
const html = (pages: string[][]) =>
  `<!doctype html><html><body><div class="nav">首页 政务公开</div><div id="zoom">${pages
    .flat()
    .map((l) => `<p>${l}</p>`)
    .join("")}</div></body></html>`;

async function measure(format: string, files: Array<{ name: string; bytes: Uint8Array }>) {
  // One warm-up read, so the figure is the steady rate and not pdf.js loading.
  await ingestDocument(files[0]);
  const started = performance.now();
  let pages = 0;
  let measures = 0;
  for (const file of files) {
    const result = await ingestDocument(file);
    pages += result.pageCount;
    measures += result.parsed.measures.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { format, files: files.length, pages, measures, seconds: Number(seconds.toFixed(2)), pagesPerSecond: Number((pages / seconds).toFixed(1)) };
}

const results = [
  await measure("pdf", await Promise.all(documents.map(async (d, i) => ({ name: `d${i}.pdf`, bytes: await makePdf(d.pages, { fontSize: 9 }) })))),
  await measure("docx", await Promise.all(documents.map(async (d, i) => ({ name: `d${i}.docx`, bytes: await makeDocx(d.pages) })))),
  // A web page has no pages: one page per document.
  await measure(
    "html",
    documents.map((d, i) => ({ name: `d${i}.html`, bytes: new TextEncoder().encode(html(d.pages)) })),
  ),
];
if ((await ocrAvailability()).ok) {
  const folder = mkdtempSync(join(tmpdir(), "relief-bench-ocr-"));
  try {
    writeFileSync(join(folder, "page.pdf"), await makePdf([documents[0].pages[1].slice(0, 12)], { fontSize: 12 }));
    execFileSync("pdftoppm", ["-r", "150", "-gray", "-png", "-singlefile", join(folder, "page.pdf"), join(folder, "page")]);
    const scan = await makeImagePdf(readFileSync(join(folder, "page.png")));
    const started = performance.now();
    const result = await ingestDocument({ name: "scan.pdf", bytes: scan });
    const seconds = (performance.now() - started) / 1000;
    results.push({
      format: "scanned pdf (OCR)",
      files: 1,
      pages: result.pageCount,
      measures: result.parsed.measures.length,
      seconds: Number(seconds.toFixed(2)),
      pagesPerSecond: Number((result.pageCount / seconds).toFixed(2)),
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
console.log(JSON.stringify(results));
