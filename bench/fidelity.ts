// Fidelity: the project's notice made by each producer offices and browsers use (Chromium's print to PDF in one and
// two columns, LibreOffice Writer's PDF and .docx of a two-column justified page, pdfkit, an OFD package, and scans
// of it at 150 and 300 dpi, clean, speckled and turned 1.5°, each read by both OCR engines: PaddleOCR's PP-OCRv4 and
// tesseract chi_sim), read back through the one ingest path, and scored
// against the notice's own text: character accuracy, clauses found with their outline path and text, and whether
// 文号, title and date are right. Goals: every text layer ≥ 99.5% with every clause and the right 文号; scans ≥ 97%.
//   npx tsx bench/fidelity.ts          prints the table
//   npx tsx bench/fidelity.ts --write  also puts its rows into bench/results.json under "fidelity"
// `npm run bench` runs it with the other benches (bench/run.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasProgram, noticeLines, PRODUCERS, type Producer } from "../src/ingest/__fixtures__/fidelity-producers.js";
import { scoreReading } from "../src/ingest/__fixtures__/fidelity-score.js";
import { makePdf } from "../src/ingest/__fixtures__/make-pdf.js";
import { type ScanVariant, scanOf } from "../src/ingest/__fixtures__/scan-variants.js";
import { ingestDocument } from "../src/ingest/ingest.js";
import { type OcrEngine, ocrAvailability } from "../src/ingest/ocr.js";

export interface FidelityRow {
  producer: string;
  /** The OCR engine that read a scan (alone, without the other as fallback). */
  engine?: OcrEngine;
  /** Percent of the notice's characters read right (1 − edit distance / length). */
  characterAccuracy: number;
  clauses: string;
  docNumber: boolean;
  title: boolean;
  date: boolean;
  seconds: number;
  /** Why a producer was not measured (its program is missing). */
  skipped?: string;
}

const ENGINE_NAMES: Record<OcrEngine, string> = { paddle: "PP-OCRv4", tesseract: "tesseract" };
const SCANS: Array<{ dpi: number; variant: ScanVariant; engine: OcrEngine }> = [150, 300].flatMap((dpi) =>
  (["clean", "noisy", "skewed"] as const).flatMap((variant) => (["paddle", "tesseract"] as const).map((engine) => ({ dpi, variant, engine }))),
);

function scanProducer(dpi: number, variant: ScanVariant, engine: OcrEngine): Producer & { engine: OcrEngine } {
  const label = { clean: "干净", noisy: "噪点", skewed: "倾斜 1.5°" }[variant];
  return {
    engine,
    id: `扫描 ${dpi} dpi ${label} · ${ENGINE_NAMES[engine]}`,
    fileName: `通知-扫描-${dpi}-${variant}.pdf`,
    make: async (dir) => scanOf(await makePdf(noticeLines(), { fontSize: 12, header: "吐鲁番市人民政府文件", pageNumbers: true }), dir, dpi, variant),
  };
}

async function measure(producer: Producer & { engine?: OcrEngine }): Promise<FidelityRow> {
  const dir = mkdtempSync(join(tmpdir(), "bench-fidelity-"));
  try {
    const bytes = await producer.make(dir);
    const made = performance.now();
    const ocr = producer.engine ? { engine: producer.engine, only: true } : undefined;
    const result = await ingestDocument({ name: producer.fileName, bytes, ocr });
    const score = scoreReading(result);
    return {
      producer: producer.id,
      ...(producer.engine ? { engine: producer.engine } : {}),
      characterAccuracy: Math.round(score.characterAccuracy * 10_000) / 100,
      clauses: `${score.clausesFound}/${score.clausesExpected}`,
      docNumber: score.docNumberRight,
      title: score.titleRight,
      date: score.dateRight,
      seconds: Math.round((performance.now() - made) / 100) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every producer's row; one whose program (chromium, soffice, pdftoppm, an OCR engine) is missing is listed as skipped. */
export async function measureFidelity(): Promise<FidelityRow[]> {
  const canOcr = {
    paddle: (await ocrAvailability({ engine: "paddle", only: true })).ok && hasProgram("pdftoppm"),
    tesseract: (await ocrAvailability({ engine: "tesseract", only: true })).ok && hasProgram("pdftoppm"),
  };
  const producers: Array<Producer & { engine?: OcrEngine }> = [...PRODUCERS, ...SCANS.map(({ dpi, variant, engine }) => scanProducer(dpi, variant, engine))];
  const rows: FidelityRow[] = [];
  for (const producer of producers) {
    const missing =
      producer.program && !hasProgram(producer.program)
        ? producer.program
        : producer.engine && !canOcr[producer.engine]
          ? ENGINE_NAMES[producer.engine]
          : undefined;
    if (missing) {
      rows.push({
        producer: producer.id,
        characterAccuracy: 0,
        clauses: "—",
        docNumber: false,
        title: false,
        date: false,
        seconds: 0,
        skipped: `${missing} is not installed`,
      });
      continue;
    }
    process.stderr.write(`fidelity: ${producer.id}…\n`);
    rows.push(await measure(producer));
  }
  console.table(rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureFidelity();
  if (process.argv.includes("--write")) {
    const path = new URL("results.json", import.meta.url).pathname;
    const results = JSON.parse(readFileSync(path, "utf8"));
    results.fidelity = {
      measuredAt: new Date().toISOString().slice(0, 10),
      note: "seconds: reading the file (text layer or OCR) and parsing it, not making it; each scan is read by PaddleOCR PP-OCRv4 and by tesseract chi_sim alone (no fallback), one inference thread, pages rendered at 200 dpi",
      rows,
    };
    writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  }
}
