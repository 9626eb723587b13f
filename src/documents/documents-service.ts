import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join, resolve, sep } from "node:path";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { IngestInput, IngestResult } from "../ingest/ingest.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "../ingest/limits.js";
import { type OcrOptions, requireOcr } from "../ingest/ocr.js";
import { ingestOffThread, prepareOffThread } from "../ingest/off-thread.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import { type AuditSchema, recordAudit } from "../store/audit.js";
import type { PolicyDocument, Retirement } from "../types.js";
import { createBackgroundReader } from "./background-reader.js";
import type {
  DocumentCorrections,
  DocumentPreview,
  DocumentRecordView,
  DocumentsDatabase,
  OriginalFile,
  Parsed,
  RetireRequest,
  UploadedFile,
} from "./document-types.js";
import { EMPTY_PARSED, effective, requireRead, recordView as view } from "./document-view.js";
import { DocumentsError } from "./documents-error.js";
import type { DocumentsTable } from "./documents-table.js";
import { baseVersion, placeInFamily, publishedRows } from "./family.js";
import { publishVersion } from "./publish-version.js";
import type { Publish } from "./publisher.js";
import { rewriteWarnings } from "./rewrite-warnings.js";
import { diffVersions, type VersionDiff } from "./version-diff.js";

export type {
  DocumentCorrections,
  DocumentPreview,
  DocumentRecordView,
  DocumentsDatabase,
  OriginalFile,
  RetireRequest,
  UploadedFile,
} from "./document-types.js";
export { DocumentsError } from "./documents-error.js";

export interface DocumentsServiceOptions {
  db: DocumentsDatabase;
  documentsDir: string;
  publish: Publish;
  logger: Logger;
  ocr?: OcrOptions;
  /** Sizes, pages and unpacked bytes an upload may have (UPLOAD_MAX_PAGES); the defaults when left out. */
  limits?: UploadLimits;
  now?: () => Date;
  /** Told when a document is deleted, with the measure ids that went with it (the question library flags entries that cited them). */
  onDeleted?: (documentId: string, measureIds: string[]) => Promise<void> | void;
  /** Reads one file that needs OCR (the ingest pipeline off the main thread by default); tests give a slow or failing one. */
  read?: (input: IngestInput) => Promise<IngestResult>;
  /** Whether this service reads uploads waiting for OCR in the background (true by default; `start()` starts it later). */
  background?: boolean;
  /** This instance's name on the uploads it claims for reading; unique per service by default. */
  instanceId?: string;
  /** A claim not renewed for this long is an instance that died: another takes the upload over (60 s; renewed every third of it while reading). */
  claimTimeoutMs?: number;
  /** How often waiting uploads are looked for besides right after an upload or a retry (15 s): claims of dead instances are taken over then. */
  pollMs?: number;
  /** How long a delete or a stop waits for the read it stops to end (5 s): OCR's programs are killed at once, so it ends in milliseconds. */
  stopGraceMs?: number;
}

/**
 * The staff workflow for documents: upload (read and parsed into a preview
 * with warnings), correct, publish (live without a restart), retire, delete,
 * and versions. Every change is audited with its actor; originals are kept
 * under DOCUMENTS_DIR so the index can always be rebuilt from them. Refusals
 * are DocumentsErrors with a code; the HTTP route chooses their status.
 */
export function createDocumentsService(options: DocumentsServiceOptions) {
  const { db, documentsDir, publish, logger } = options;
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? DEFAULT_UPLOAD_LIMITS;
  const audit = (actor: string, action: string, target: string, detail?: unknown) =>
    recordAudit(db as unknown as Kysely<AuditSchema>, { actor, action, target, detail }, () => now().toISOString());
  const reader = createBackgroundReader({
    db,
    documentsDir,
    logger,
    read: options.read ?? ingestOffThread,
    ocr: options.ocr,
    limits,
    now,
    audit,
    instanceId: options.instanceId,
    claimTimeoutMs: options.claimTimeoutMs,
    pollMs: options.pollMs,
    stopGraceMs: options.stopGraceMs,
  });

  const rowOf = async (id: string) => {
    const row = await db.selectFrom("policy_documents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new DocumentsError("DOCUMENT_NOT_FOUND", `no document ${id}`);
    return row;
  };

  /** Writes the published set and swaps the knowledge base to it. */
  async function republish(): Promise<void> {
    const parts = (await publishedRows(db)).map(effective);
    await publish({ documents: parts.flatMap((p) => p.documents), measures: parts.flatMap((p) => p.measures) });
  }

  async function sameFileWarnings(name: string, sha256: string): Promise<string[]> {
    const same = await db.selectFrom("policy_documents").select(["id", "version", "state"]).where("sha256", "=", sha256).executeTakeFirst();
    return same ? [`${name}: the same file was uploaded before as ${same.id} (version ${same.version}, ${same.state})`] : [];
  }

  async function diffOf(row: DocumentsTable): Promise<VersionDiff | undefined> {
    const base = await baseVersion(db, row);
    return base ? diffVersions(effective(base).measures, effective(row).measures, base.version, row.version) : undefined;
  }

  /** Keeps a file that needs OCR and answers at once: it waits in state "reading" for the background reader. */
  async function accept(
    file: UploadedFile,
    upload: { id: string; extension: string; sha256: string; actor: string; format: string; pageCount: number },
  ): Promise<DocumentRecordView> {
    const { id, actor } = upload;
    // Without OCR here it would only fail later: refuse it now, saying what to install, as before.
    if (!options.read) await requireOcr(file.name, options.ocr ?? {});
    // The version is known once it is read (its 文号 and title); the original keeps its upload name until then and after.
    const storedFile = join(id, `original${upload.extension}`);
    const path = join(documentsDir, storedFile);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
    const row: DocumentsTable = {
      ...newRow(id, file.name, storedFile, upload.sha256, actor),
      state: "reading",
      format: upload.format,
      page_count: upload.pageCount,
      ocr: 1,
      warnings: JSON.stringify(await sameFileWarnings(file.name, upload.sha256)),
    };
    await db.insertInto("policy_documents").values(row).execute();
    await audit(actor, "document.upload", id, { fileName: maskPersonalData(file.name), format: upload.format, state: "reading", pages: upload.pageCount });
    reader.kick();
    return view(row);
  }

  function newRow(id: string, fileName: string, storedFile: string, sha256: string, actor: string): DocumentsTable {
    return {
      id,
      family_id: id,
      version: 1,
      state: "preview",
      file_name: fileName,
      stored_file: storedFile,
      format: "",
      sha256,
      page_count: 0,
      ocr: 0,
      parsed: EMPTY_PARSED,
      corrections: "{}",
      retired: null,
      warnings: "[]",
      created_at: now().toISOString(),
      created_by: actor,
      published_at: null,
      claimed_by: null,
      claimed_at: null,
      pages_read: 0,
      read_error: null,
      layout: null,
    };
  }

  /** Reads one file into a preview (or keeps it for OCR); an IngestError names the file. */
  async function uploadOne(file: UploadedFile, actor: string): Promise<DocumentRecordView & { diff?: VersionDiff }> {
    const id = `doc-${randomUUID().slice(0, 8)}`;
    const extension =
      extname(file.name)
        .toLowerCase()
        .replace(/[^.a-z0-9]/g, "") || ".bin";
    const sha256 = createHash("sha256").update(file.bytes).digest("hex");
    // Read off this thread, every bound checked first: a hostile file fails alone, and requests keep being answered meanwhile.
    const prepared = await prepareOffThread({ name: file.name, bytes: file.bytes, sourceFile: `${id}${extension}`, limits });
    if (prepared.needsOcr) return accept(file, { id, extension, sha256, actor, format: prepared.format, pageCount: prepared.pageCount });
    const { result } = prepared;
    const parsed: Parsed = { documents: result.parsed.documents, measures: result.parsed.measures };
    const { familyId, version } = await placeInFamily(db, parsed);
    const storedFile = join(id, `v${version}${extension}`);
    const row: DocumentsTable = {
      ...newRow(id, file.name, storedFile, sha256, actor),
      family_id: familyId ?? id,
      version,
      format: result.format,
      page_count: result.pageCount,
      ocr: result.ocr ? 1 : 0,
      parsed: JSON.stringify(parsed),
      layout: result.layout ? JSON.stringify(result.layout) : null,
      pages_read: result.pageCount,
    };
    const diff = await diffOf(row);
    const base = diff && (await baseVersion(db, row));
    const rewritten = diff && base ? rewriteWarnings(diff, effective(base).measures, parsed.measures) : [];
    row.warnings = JSON.stringify([...(await sameFileWarnings(file.name, sha256)), ...rewritten, ...result.warnings]);
    const path = join(documentsDir, storedFile);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
    await db.insertInto("policy_documents").values(row).execute();
    await audit(actor, "document.upload", id, { fileName: maskPersonalData(file.name), format: result.format, version, measures: parsed.measures.length });
    return { ...view(row), ...(diff ? { diff } : {}) };
  }

  /** Runs `change` on a read record, audits it, and republishes when the record is live. */
  async function changeRecord(id: string, action: string, change: (row: DocumentsTable) => Promise<unknown>): Promise<DocumentRecordView> {
    const row = await rowOf(id);
    requireRead(row, action);
    await change(row);
    if (row.state === "published") await republish();
    return view(await rowOf(id));
  }

  /** The replacement a retirement names: an uploaded document by id is cited by its title and 文号. */
  async function replacementOf(replacedBy: string | undefined): Promise<string | undefined> {
    const replacement = replacedBy?.trim();
    if (replacement && /^doc-[\w-]+$/.test(replacement)) {
      const otherRow = await rowOf(replacement);
      requireRead(otherRow, "name as a replacement");
      const other = effective(otherRow).documents[0];
      return `《${other.shortTitle}》${other.docNumber ? `（${other.docNumber}）` : ""}`;
    }
    return replacement && !replacement.startsWith("《") ? `《${replacement}》` : replacement || undefined;
  }

  const service = {
    /**
     * Reads each file into a preview; a file that cannot be read is reported by name and the others go on.
     * A file that needs OCR is kept and answered at once in state "reading"; the background reader reads it.
     */
    async upload(files: UploadedFile[], actor: string) {
      const results: Array<DocumentRecordView & { diff?: VersionDiff }> = [];
      for (const file of files) results.push(await uploadOne(file, actor));
      return results;
    },

    /** Reading a failed upload again (after installing OCR, or when the failure was passing). */
    async retry(id: string, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      if (row.state !== "failed") throw new DocumentsError("DOCUMENT_CONFLICT", `${id} is ${row.state}; only an upload whose reading failed can be read again`);
      // Nothing of the failed attempt may run beside the new one.
      await reader.stopReading(id);
      const updated = await db
        .updateTable("policy_documents")
        .set({ state: "reading", read_error: null, pages_read: 0, claimed_by: null, claimed_at: null })
        .where("id", "=", id)
        .where("state", "=", "failed")
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DocumentsError("DOCUMENT_CONFLICT", `${id} is already being read again`);
      await audit(actor, "document.retry", id, {
        fileName: maskPersonalData(row.file_name),
        previousError: row.read_error && maskPersonalData(row.read_error),
      });
      reader.kick();
      return view(await rowOf(id));
    },

    /** Starts reading uploads that wait for OCR in the background (done at creation unless `background: false`). */
    start: () => reader.start(),
    /** Stops reading in the background and gives back the claim on the upload being read (its OCR program killed). */
    stop: () => reader.stop(),
    /** This instance's name on its claims. */
    instanceId: reader.instanceId,
    /** Resolves when the reader's current pass ends (nothing left to claim, or stopped). */
    settled: () => reader.settled(),

    async list(): Promise<DocumentRecordView[]> {
      const rows = await db.selectFrom("policy_documents").selectAll().orderBy("created_at", "desc").execute();
      return rows.map(view);
    },

    async preview(id: string): Promise<DocumentPreview> {
      const row = await rowOf(id);
      const { documents, measures } = effective(row);
      const diff = await diffOf(row);
      return { ...view(row), documents, measureList: measures, ...(diff ? { diff } : {}) };
    },

    correct: (id: string, corrections: DocumentCorrections, actor: string) =>
      changeRecord(id, "correct", async (row) => {
        const merged = { ...(JSON.parse(row.corrections) as DocumentCorrections), ...corrections };
        await db
          .updateTable("policy_documents")
          .set({ corrections: JSON.stringify(merged) })
          .where("id", "=", id)
          .execute();
        await audit(actor, "document.correct", id, corrections);
      }),

    /** Makes the document live; a newer version replaces the published one of its family, an older one is refused. */
    async publish(id: string, actor: string): Promise<DocumentRecordView> {
      const { row, replaced } = await publishVersion(db, id, now().toISOString());
      await republish();
      await audit(actor, "document.publish", id, { version: row.version, replaces: replaced.map((r) => r.id) });
      return view(await rowOf(id));
    },

    /** 废止 or 被替代 from a date; the measures then answer as no longer in force. */
    async retire(id: string, request: RetireRequest, actor: string): Promise<DocumentRecordView> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date)) throw new DocumentsError("DOCUMENT_INVALID", "date: must be YYYY-MM-DD");
      return changeRecord(id, "retire", async () => {
        const replacement = await replacementOf(request.replacedBy);
        if (request.kind === "superseded" && !replacement)
          throw new DocumentsError("DOCUMENT_INVALID", "replacedBy: name the document that supersedes this one");
        const retired: Retirement = {
          kind: request.kind,
          date: request.date,
          ...(replacement ? { replacement } : {}),
          ...(request.reason ? { reason: request.reason } : {}),
        };
        await db
          .updateTable("policy_documents")
          .set({ retired: JSON.stringify(retired) })
          .where("id", "=", id)
          .execute();
        await audit(actor, `document.${request.kind === "repealed" ? "repeal" : "supersede"}`, id, retired);
      });
    },

    /** Back in force (a retirement entered by mistake). */
    reinstate: (id: string, actor: string) =>
      changeRecord(id, "reinstate", async () => {
        await db.updateTable("policy_documents").set({ retired: null }).where("id", "=", id).execute();
        await audit(actor, "document.reinstate", id);
      }),

    /** Removes the document entirely: from the index, the database and the documents folder. */
    async remove(id: string, actor: string): Promise<void> {
      const row = await rowOf(id);
      const { documents, measures } = effective(row);
      // Its OCR program is killed before its original goes: nothing keeps working on a deleted upload.
      await reader.stopReading(id);
      await db.deleteFrom("policy_documents").where("id", "=", id).execute();
      rmSync(join(documentsDir, id), { recursive: true, force: true });
      await audit(actor, "document.delete", id, { title: documents[0]?.title, version: row.version, state: row.state });
      if (row.state === "published") await republish();
      for (const document of documents) {
        await options.onDeleted?.(
          document.id,
          measures.filter((m) => m.documentId === document.id).map((m) => m.id),
        );
      }
      logger.info({ id }, "document deleted");
    },

    /**
     * The original a published upload's document was read from, for the original view: the kept file, its format,
     * and (unless `layout: false`) where its clauses are on its pages. Undefined for a seed document, an upload that
     * is not published (a preview, an older version, deleted) and a file missing from this instance's folder.
     */
    async original(document: Pick<PolicyDocument, "id" | "sourceFile">, { layout = true } = {}): Promise<OriginalFile | undefined> {
      // An upload's documents are filed under `<row id><extension>` and their ids start with the row's.
      const rowId = document.sourceFile.replace(/\.[^.]*$/, "");
      if (!/^doc-[\w-]+$/.test(rowId) || !document.id.startsWith(`${rowId}-`)) return undefined;
      const row = await db
        .selectFrom("policy_documents")
        .select(["stored_file", "format", "file_name", "sha256", ...(layout ? (["layout"] as const) : [])])
        .where("id", "=", rowId)
        .where("state", "=", "published")
        .executeTakeFirst();
      if (!row) return undefined;
      const root = resolve(documentsDir);
      const path = resolve(root, row.stored_file);
      if (!path.startsWith(root + sep) || !existsSync(path)) return undefined;
      const stored = "layout" in row && typeof row.layout === "string" ? row.layout : undefined;
      return { path, format: row.format, fileName: row.file_name, sha256: row.sha256, ...(stored ? { layout: JSON.parse(stored) } : {}) };
    },

    /** Republishes what the database says is published (at start, or after restoring a backup). */
    republish,

    /**
     * Reads every kept original again (after a parser change, or to rebuild
     * the published set from DOCUMENTS_DIR), keeping staff corrections and
     * retirements, then republishes. Returns how many were read.
     */
    async reparse(actor: string): Promise<number> {
      // Uploads still reading (or failed) are read by the background reader, not here.
      const rows = await db.selectFrom("policy_documents").selectAll().where("state", "in", ["preview", "published"]).execute();
      for (const row of rows) {
        const bytes = readFileSync(join(documentsDir, row.stored_file));
        const result = await ingestOffThread({ name: row.file_name, bytes, sourceFile: `${row.id}${extname(row.stored_file)}`, ocr: options.ocr, limits });
        await db
          .updateTable("policy_documents")
          .set({
            parsed: JSON.stringify({ documents: result.parsed.documents, measures: result.parsed.measures }),
            layout: result.layout ? JSON.stringify(result.layout) : null,
            warnings: JSON.stringify(result.warnings),
          })
          .where("id", "=", row.id)
          .execute();
      }
      await audit(actor, "document.reparse", "documents", { count: rows.length });
      await republish();
      return rows.length;
    },
  };
  if (options.background !== false) service.start();
  return service;
}
export type DocumentsService = ReturnType<typeof createDocumentsService>;
