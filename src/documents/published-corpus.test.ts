import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { restorePublished } from "../core/open-documents.js";
import { PUBLISHED_FILE, readPublished, writePublished } from "../corpus/published-corpus.js";
import { makePdf } from "../ingest/__fixtures__/make-pdf.js";
import { regulationPages } from "../ingest/__fixtures__/regulation.js";
import { type KnowledgeBase, openKnowledgeBase } from "../search/open-knowledge-base.js";
import { type AuditSchema, auditMigrations } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import { createDocumentsService } from "./documents-service.js";
import { type DocumentsSchema, documentsMigrations } from "./documents-table.js";
import { createPublisher } from "./publisher.js";

const QUESTION = "首贷贴息按贷款市场报价利率的多少给予贴息？";

/** A documents folder with the regulation published, and what a start needs to open it again. */
async function published() {
  const indexDir = join(temporaryDirectory(), "index");
  const documentsDir = join(temporaryDirectory(), "documents");
  let live: KnowledgeBase = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
  const target = {
    get knowledgeBase() {
      return live;
    },
    swapKnowledgeBase(next: KnowledgeBase) {
      live = next;
    },
  };
  const db = await openStaffDatabase<DocumentsSchema & AuditSchema>(new Database(":memory:"), { ...auditMigrations, ...documentsMigrations });
  const documents = createDocumentsService({
    db,
    documentsDir,
    publish: createPublisher({ target, indexDir, documentsDir, logger: silentLogger }),
    logger: silentLogger,
    background: false,
  });
  const [upload] = await documents.upload([{ name: "首贷贴息办法.pdf", bytes: await makePdf(regulationPages()) }], "alice");
  await documents.publish(upload.id, "bob");
  const path = join(documentsDir, PUBLISHED_FILE);
  /** A start: the knowledge base opened afresh from the seeds and DOCUMENTS_DIR. */
  const restart = async () => {
    live = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
    return live;
  };
  const ask = createAsk({ knowledgeBase: () => target.knowledgeBase, today: () => TODAY, logger: silentLogger });
  return { documents, documentsDir, path, restart, ask };
}

const quoted = (answer: { citations: Array<{ text: string }> }) => answer.citations.map((c) => c.text).join("\n");

describe("DOCUMENTS_DIR/published.json is checked like the index files", () => {
  it("one changed byte (50% → 90%) is never quoted: the start leaves the set out naming the file, and it is written again from the documents table", async () => {
    const s = await published();
    expect(quoted(await s.ask(QUESTION))).toContain("贷款市场报价利率的50%给予贴息");
    const original = readFileSync(s.path, "utf8");
    expect(original.match(/利率的50%/g)?.length).toBeGreaterThan(0);
    writeFileSync(s.path, original.replace("利率的50%", "利率的90%"));

    expect(readPublished(s.documentsDir)).toEqual({
      documents: [],
      measures: [],
      damaged: `${s.path}: checksum mismatch: the file changed after it was written`,
    });
    const kb = await s.restart();
    expect(kb.corpus.warnings).toContain(`published uploads left out: ${s.path}: checksum mismatch: the file changed after it was written`);
    expect(quoted(await s.ask(QUESTION))).not.toContain("90%");

    expect(await restorePublished({ documents: s.documents, documentsDir: s.documentsDir, logger: silentLogger, publishedCount: 1 })).toBe("republished");
    expect(readFileSync(s.path, "utf8")).toBe(original);
    expect(quoted(await s.ask(QUESTION))).toContain("贷款市场报价利率的50%给予贴息");
    // Whole again: the next start keeps it.
    expect(await restorePublished({ documents: s.documents, documentsDir: s.documentsDir, logger: silentLogger, publishedCount: 1 })).toBe("kept");
  });

  it("a cut-off file is not a bare SyntaxError at start: it names the file, and is rebuilt", async () => {
    const s = await published();
    const original = readFileSync(s.path, "utf8");
    writeFileSync(s.path, original.slice(0, original.length / 2));
    const read = readPublished(s.documentsDir);
    expect(read.damaged).toMatch(new RegExp(`^${s.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON \\(.*\\); the file is cut off or changed$`));
    await expect(s.restart()).resolves.toBeDefined();
    await restorePublished({ documents: s.documents, documentsDir: s.documentsDir, logger: silentLogger, publishedCount: 1 });
    expect(readFileSync(s.path, "utf8")).toBe(original);
  });

  it("a file written before checksums is rewritten with one; what it holds is never trusted without it", () => {
    const documentsDir = temporaryDirectory();
    writeFileSync(join(documentsDir, PUBLISHED_FILE), JSON.stringify({ documents: [], measures: [] }));
    expect(readPublished(documentsDir).damaged).toMatch(/published\.json: has no checksum \(written by an older version\)$/);
    writePublished(documentsDir, { documents: [], measures: [] });
    expect(readPublished(documentsDir)).toEqual({ documents: [], measures: [] });
  });
});
