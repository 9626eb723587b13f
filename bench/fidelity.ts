// Fidelity: the project's notice made by each producer offices and browsers use (Chromium's print to PDF in one and
// two columns, LibreOffice Writer's PDF and .docx of a two-column justified page, pdfkit, an OFD package, and scans
// of it at 150 and 300 dpi, clean, speckled and turned 1.5°), read back through the one ingest path, and scored
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
import { ocrAvailability } from "../src/ingest/ocr.js";

export interface FidelityRow {
  producer: string;
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

const SCANS: Array<{ dpi: number; variant: ScanVariant }> = [150, 300].flatMap((dpi) =>
  (["clean", "noisy", "skewed"] as const).map((variant) => ({ dpi, variant })),
);

function scanProducer(dpi: number, variant: ScanVariant): Producer {
  const label = { clean: "干净", noisy: "噪点", skewed: "倾斜 1.5°" }[variant];
  return {
    id: `扫描 ${dpi} dpi ${label}`,
    fileName: `通知-扫描-${dpi}-${variant}.pdf`,
    make: async (dir) => scanOf(await makePdf(noticeLines(), { fontSize: 12, header: "吐鲁番市人民政府文件", pageNumbers: true }), dir, dpi, variant),
  };
}

async function measure(producer: Producer): Promise<FidelityRow> {
  const dir = mkdtempSync(join(tmpdir(), "bench-fidelity-"));
  try {
    const bytes = await producer.make(dir);
    const made = performance.now();
    const result = await ingestDocument({ name: producer.fileName, bytes });
    const score = scoreReading(result);
    return {
      producer: producer.id,
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

/** Every producer's row; one whose program (chromium, soffice, tesseract) is missing is listed as skipped. */
export async function measureFidelity(): Promise<FidelityRow[]> {
  const canOcr = (await ocrAvailability()).ok && hasProgram("pdftoppm");
  const producers = [...PRODUCERS, ...SCANS.map(({ dpi, variant }) => scanProducer(dpi, variant))];
  const rows: FidelityRow[] = [];
  for (const producer of producers) {
    const missing = producer.program && !hasProgram(producer.program) ? producer.program : producer.id.startsWith("扫描") && !canOcr ? "tesseract" : undefined;
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
      note: "seconds: reading the file (text layer or OCR) and parsing it, not making it; scans are OCR by tesseract chi_sim",
      rows,
    };
    writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  }
}
