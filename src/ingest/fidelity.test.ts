import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IN_CI } from "../../test/ci.js";
import { FIDELITY_NOTICE } from "./__fixtures__/fidelity-notice.js";
import { hasProgram, PRODUCERS } from "./__fixtures__/fidelity-producers.js";
import { scoreReading } from "./__fixtures__/fidelity-score.js";
import { ingestDocument } from "./ingest.js";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/*
 * Each producer's file is made here with the real program (Chromium's print to
 * PDF, LibreOffice Writer, pdfkit, an OFD package) from the notice the project
 * wrote, and read back through the one ingest path. A missing program skips
 * its producer on a workstation; CI installs them and fails instead.
 */
describe("fidelity: the notice as offices and browsers make it", () => {
  for (const producer of PRODUCERS) {
    const available = !producer.program || hasProgram(producer.program) || IN_CI;
    it.skipIf(!available)(`${producer.id}: 文号, title, date and every clause, ≥ 99.5% of the characters`, { timeout: 180_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "fidelity-"));
      folders.push(dir);
      const bytes = await producer.make(dir);
      const result = await ingestDocument({ name: producer.fileName, bytes });
      const score = scoreReading(result);
      expect(score.missing).toEqual([]);
      expect({ docNumber: score.docNumberRight, title: score.titleRight, date: score.dateRight }).toEqual({ docNumber: true, title: true, date: true });
      expect(score.characterAccuracy).toBeGreaterThanOrEqual(0.995);
      const [document] = result.parsed.documents;
      // The signature block is the document's (its issuer and date), not part of the last clause.
      expect(document.issuer).toBe(FIDELITY_NOTICE.signatory);
      expect(result.parsed.measures.map((m) => m.text).join("")).not.toContain(FIDELITY_NOTICE.signedOn);
      expect(result.policy).toBe(true);
    });
  }
});
