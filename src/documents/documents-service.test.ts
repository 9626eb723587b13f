import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { PUBLISHED_FILE } from "../corpus/published-corpus.js";
import { makeDocx } from "../ingest/__fixtures__/make-docx.js";
import { makePdf } from "../ingest/__fixtures__/make-pdf.js";
import { REGULATION_TITLE, regulationPages } from "../ingest/__fixtures__/regulation.js";
import { type KnowledgeBase, openKnowledgeBase } from "../search/open-knowledge-base.js";
import { type AuditSchema, auditMigrations, auditTrail } from "../store/audit.js";
import { openStaffDatabase } from "../store/database.js";
import { createDocumentsService, type DocumentsService } from "./documents-service.js";
import { type DocumentsSchema, documentsMigrations } from "./documents-table.js";
import { createPublisher } from "./publisher.js";

const QUESTION = "首贷贴息每户每年最高多少？";

interface Setup {
  documents: DocumentsService;
  target: { knowledgeBase: KnowledgeBase; swapKnowledgeBase(next: KnowledgeBase): void; swaps: number };
  ask: ReturnType<typeof createAsk>;
  db: Awaited<ReturnType<typeof openStaffDatabase<DocumentsSchema & AuditSchema>>>;
  indexDir: string;
  documentsDir: string;
  deleted: string[][];
}

async function setup(): Promise<Setup> {
  const indexDir = join(temporaryDirectory(), "index");
  const documentsDir = join(temporaryDirectory(), "documents");
  let live = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir, indexDir, logger: silentLogger });
  const target = {
    swaps: 0,
    get knowledgeBase() {
      return live;
    },
    swapKnowledgeBase(next: KnowledgeBase) {
      live = next;
      target.swaps++;
    },
  };
  const db = await openStaffDatabase<DocumentsSchema & AuditSchema>(new Database(":memory:"), { ...auditMigrations, ...documentsMigrations });
  const publish = createPublisher({ target, indexDir, documentsDir, logger: silentLogger });
  const deleted: string[][] = [];
  const documents = createDocumentsService({
    db,
    documentsDir,
    publish,
    logger: silentLogger,
    onDeleted: (id, measures) => void deleted.push([id, ...measures]),
  });
  const ask = createAsk({ knowledgeBase: () => target.knowledgeBase, today: () => TODAY, logger: silentLogger });
  return { documents, target, ask, db, indexDir, documentsDir, deleted };
}

const regulationPdf = () => makePdf(regulationPages());

describe("documents: upload, publish, retire, versions", () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });

  it("an upload is a preview only: kept on disk, audited, not searchable until published", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    expect(preview).toMatchObject({ status: "preview", version: 1, title: REGULATION_TITLE, docNumber: "昌市政办发〔2024〕7号", measures: 9 });
    expect(existsSync(join(s.documentsDir, preview.id, "v1.pdf"))).toBe(true);
    expect(s.target.swaps).toBe(0);
    const before = await s.ask(QUESTION);
    expect(before.citations.some((c) => c.document === REGULATION_TITLE)).toBe(false);
    const trail = await auditTrail(s.db as never, preview.id);
    expect(trail).toMatchObject([{ actor: "alice", action: "document.upload" }]);
  });

  it("publish makes it answerable at once, citing its page; the manifest and the snapshot list it with its version", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    await s.documents.publish(preview.id, "bob");
    const answer = await s.ask(QUESTION);
    const cited = answer.citations.find((c) => c.document === REGULATION_TITLE);
    expect(cited).toMatchObject({ pages: [1], docNumber: "昌市政办发〔2024〕7号" });
    expect(answer.body).toContain("8万元");
    const manifest = JSON.parse(readFileSync(join(s.indexDir, "manifest.json"), "utf8"));
    expect(manifest.documents).toContainEqual(expect.objectContaining({ title: REGULATION_TITLE, version: 1, measures: 9 }));
    expect(manifest.documents).toHaveLength(6);
    const snapshot = JSON.parse(readFileSync(join(s.documentsDir, PUBLISHED_FILE), "utf8"));
    expect(snapshot.documents.map((d: { title: string }) => d.title)).toEqual([REGULATION_TITLE]);
    expect((await auditTrail(s.db as never, preview.id)).map((e) => [e.actor, e.action])).toEqual([
      ["bob", "document.publish"],
      ["alice", "document.upload"],
    ]);
    // A restart reads the published set from DOCUMENTS_DIR: the same answer, no database needed.
    const restarted = await openKnowledgeBase({ seedsDir: SEEDS_DIR, documentsDir: s.documentsDir, indexDir: s.indexDir, logger: silentLogger });
    expect(restarted.corpus.documents).toHaveLength(6);
    expect(restarted.index.rebuilt).toBeUndefined();
  });

  it("publishing while questions keep coming: every ask answers, none fails, the swap happens once", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    const questions = ["我的企业能减免多少检测费？", "公司刻章备案要多长时间？", QUESTION];
    let publishing = true;
    const errors: unknown[] = [];
    const latencies: number[] = [];
    let asked = 0;
    const loop = async (worker: number) => {
      // Bounded: runs while publishing, then one more round, at most 200 asks per worker.
      for (let i = 0; i < 200 && (publishing || i < 3); i++) {
        const started = performance.now();
        try {
          const answer = await s.ask(questions[(i + worker) % questions.length]);
          if (!answer.text) throw new Error("empty answer");
          asked++;
        } catch (error) {
          errors.push(error);
        }
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const workers = [0, 1, 2, 3].map(loop);
    await s.documents.publish(preview.id, "bob");
    publishing = false;
    await Promise.all(workers);
    expect(errors).toEqual([]);
    expect(asked).toBeGreaterThan(8);
    // The build yields between its steps: an ask waits for one step (about 0.1 s on the seed here), never the whole build.
    expect(Math.max(...latencies)).toBeLessThan(2000);
    expect(s.target.swaps).toBe(1);
    expect((await s.ask(QUESTION)).citations[0].document).toBe(REGULATION_TITLE);
  });

  it("废止: its measures answer as no longer in force, saying since when; reinstating undoes it", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    await s.documents.publish(preview.id, "bob");
    await s.documents.retire(preview.id, { kind: "repealed", date: "2025-06-30", reason: "政策到期后不再延续" }, "carol");
    const answer = await s.ask(QUESTION);
    const cited = answer.citations.find((c) => c.document === REGULATION_TITLE)!;
    expect(cited.status).toBe("ended");
    expect(cited.validity).toBe("该文件已于2025年6月30日废止（政策到期后不再延续），所列措施不再执行。");
    expect(answer.notices.map((n) => n.text).join("\n")).toContain(`[${cited.marker}]该文件已于2025年6月30日废止`);
    expect(answer.text).toContain("【已废止】");
    expect((await auditTrail(s.db as never, preview.id))[0]).toMatchObject({ actor: "carol", action: "document.repeal" });
    await s.documents.reinstate(preview.id, "carol");
    expect((await s.ask(QUESTION)).citations.find((c) => c.document === REGULATION_TITLE)!.status).not.toBe("ended");
  });

  it("被替代: names the replacement (an uploaded document cited by title and 文号); a future date is not yet in effect", async () => {
    const [old] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    await s.documents.publish(old.id, "bob");
    const replacementPages = regulationPages().map((lines) =>
      lines.map((l) => l.replace("首贷贴息管理办法", "融资贴息实施细则").replace("昌市政办发〔2024〕7号", "昌市政办发〔2025〕3号")),
    );
    const [replacement] = await s.documents.upload([{ name: "细则.docx", bytes: await makeDocx(replacementPages) }], "alice");
    expect(replacement.version).toBe(1);
    await s.documents.retire(old.id, { kind: "superseded", date: "2026-01-01", replacedBy: replacement.id }, "carol");
    const cited = (await s.ask(QUESTION)).citations.find((c) => c.document === REGULATION_TITLE)!;
    expect(cited.validity).toBe(
      "该文件已于2026年1月1日被《昌吉市小微企业融资贴息实施细则》（昌市政办发〔2025〕3号）替代，所列措施不再执行，请以《昌吉市小微企业融资贴息实施细则》（昌市政办发〔2025〕3号）为准。",
    );
    await s.documents.retire(old.id, { kind: "superseded", date: "2027-01-01", replacedBy: "新办法" }, "carol");
    const later = (await s.ask(QUESTION)).citations.find((c) => c.document === REGULATION_TITLE)!;
    expect(later.status).not.toBe("ended");
  });

  it("a new version (same 文号) shows what changed clause by clause; publishing it replaces the old one", async () => {
    const original = await regulationPdf();
    const [first] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: original }], "alice");
    await s.documents.publish(first.id, "bob");
    const pages = regulationPages();
    pages[0] = pages[0].map((line) => line.replace("最高不超过8万元", "最高不超过10万元"));
    pages[1] = pages[1].filter((line) => !line.startsWith("第五条") && line !== "牵头单位：市财政局");
    pages[1].splice(pages[1].indexOf("第三章 附则"), 0, "第五条 贴息资金实行按季度拨付。");
    pages[1].push("三、财政局拨付资金。");
    const [second] = await s.documents.upload([{ name: "首贷贴息办法（修订）.pdf", bytes: await makePdf(pages) }], "alice");
    expect(second).toMatchObject({ version: 2, status: "preview" });
    const [again] = await s.documents.upload([{ name: "copy.pdf", bytes: original }], "alice");
    expect(again.warnings[0]).toBe(`copy.pdf: the same file was uploaded before as ${first.id} (version 1, published)`);
    expect(again.version).toBe(3);
    expect(second.diff).toMatchObject({ fromVersion: 1, toVersion: 2, added: 1, removed: 0, changed: 2 });
    const changed = second.diff!.changes.filter((c) => c.change === "changed").map((c) => c.path);
    expect(changed).toEqual(["第二章贴息标准 › 第三条", "第二章贴息标准 › 第五条"]);
    await s.documents.publish(second.id, "bob");
    expect((await s.documents.preview(first.id)).status).toBe("archived");
    const answer = await s.ask(QUESTION);
    expect(answer.body).toContain("10万元");
    expect(answer.body).not.toContain("8万元");
    expect(s.target.knowledgeBase.corpus.documents.filter((d) => d.title === REGULATION_TITLE)).toHaveLength(1);
  });

  it("the index can be rebuilt from the kept originals: reparse reads them again, keeping corrections", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    await s.documents.correct(preview.id, { issuer: "昌吉市人民政府办公室" }, "alice");
    await s.documents.publish(preview.id, "bob");
    rmSync(join(s.documentsDir, PUBLISHED_FILE));
    expect(await s.documents.reparse("ops")).toBe(1);
    const snapshot = JSON.parse(readFileSync(join(s.documentsDir, PUBLISHED_FILE), "utf8"));
    expect(snapshot.documents[0]).toMatchObject({ title: REGULATION_TITLE, issuer: "昌吉市人民政府办公室", version: 1 });
    expect(snapshot.measures).toHaveLength(9);
    expect((await s.ask(QUESTION)).citations[0]).toMatchObject({ document: REGULATION_TITLE, pages: [1] });
  });

  it("keeps where each clause is on the original's pages, and gives the original only while it is published", async () => {
    const bytes = await regulationPdf();
    const [first] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes }], "alice");
    const { documents, measureList } = await s.documents.preview(first.id);
    const [document] = documents;
    // A preview is not shown to the public: it has no original yet.
    expect(await s.documents.original(document)).toBeUndefined();
    await s.documents.publish(first.id, "bob");
    const original = (await s.documents.original(document))!;
    expect(original).toMatchObject({ format: "pdf", fileName: "首贷贴息办法.pdf", path: join(s.documentsDir, first.id, "v1.pdf") });
    expect(readFileSync(original.path)).toEqual(Buffer.from(bytes));
    expect(original.layout?.unit).toBe("pt");
    for (const measure of measureList) expect(original.layout?.clauses[measure.id]?.[0]?.page, measure.id).toBe(measure.pages[0]);
    expect(await s.documents.original(document, { layout: false })).not.toHaveProperty("layout");
    // Not a published upload's: a seed document, or a name that points elsewhere.
    const seed = s.target.knowledgeBase.corpus.documents.find((d) => d.version === undefined)!;
    expect(await s.documents.original(seed)).toBeUndefined();
    expect(await s.documents.original({ id: `${first.id}-1`, sourceFile: `../${first.id}.pdf` })).toBeUndefined();
    // Read before positions were recorded: the file, without a layout (the text view is shown); reparse records it.
    await s.db.updateTable("policy_documents").set({ layout: null }).where("id", "=", first.id).execute();
    expect((await s.documents.original(document))?.layout).toBeUndefined();
    await s.documents.reparse("ops");
    expect((await s.documents.original(document))?.layout?.clauses[measureList[0].id]).toBeDefined();
    // A newer version replaces it, and the older one's original goes with it.
    const [second] = await s.documents.upload([{ name: "首贷贴息办法（再版）.pdf", bytes: await makePdf([["（再版）"], ...regulationPages()]) }], "alice");
    await s.documents.publish(second.id, "bob");
    expect(await s.documents.original(document)).toBeUndefined();
    const [newer] = (await s.documents.preview(second.id)).documents;
    expect((await s.documents.original(newer))?.layout?.pages).toHaveLength(3);
    await s.documents.remove(second.id, "carol");
    expect(await s.documents.original(newer)).toBeUndefined();
  });

  it("delete removes it from answers, the database and the folder, and tells the library which measures went", async () => {
    const [preview] = await s.documents.upload([{ name: "首贷贴息办法.pdf", bytes: await regulationPdf() }], "alice");
    await s.documents.publish(preview.id, "bob");
    await s.documents.remove(preview.id, "carol");
    expect((await s.ask(QUESTION)).citations.some((c) => c.document === REGULATION_TITLE)).toBe(false);
    expect(existsSync(join(s.documentsDir, preview.id))).toBe(false);
    await expect(s.documents.preview(preview.id)).rejects.toThrow(/no document/);
    expect(s.deleted[0][0]).toBe(`${preview.id}-1`);
    expect(s.deleted[0]).toHaveLength(10);
    expect((await auditTrail(s.db as never, preview.id))[0]).toMatchObject({ actor: "carol", action: "document.delete" });
  });
});
