import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, extname, join } from "node:path";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { regionPath } from "../corpus/regions.js";
import { IngestError } from "../ingest/errors.js";
import type { IngestInput, IngestResult } from "../ingest/ingest.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "../ingest/limits.js";
import { type OcrOptions, ReadStoppedError, requireOcr } from "../ingest/ocr.js";
import { ingestOffThread, prepareOffThread } from "../ingest/off-thread.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import { type AuditSchema, recordAudit } from "../store/audit.js";
import type { Measure, PolicyDocument, Retirement } from "../types.js";
import type { DocumentState, DocumentsSchema, DocumentsTable } from "./documents-table.js";
import type { Publish } from "./publisher.js";
import { diffVersions, type VersionDiff } from "./version-diff.js";

export type DocumentsDatabase = Kysely<DocumentsSchema & AuditSchema>;

/** Fields staff may correct in the preview before publishing. */
export interface DocumentCorrections {
  title?: string;
  docNumber?: string;
  issuer?: string;
  date?: string;
  region?: string;
}

export interface RetireRequest {
  kind: Retirement["kind"];
  date: string;
  /** The replacing document: an uploaded document's id (its title and 文号 are cited), or its name as text. */
  replacedBy?: string;
  reason?: string;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** A document as staff see it: the record, its documents with corrections applied, its measures and warnings. */
export interface DocumentRecordView {
  id: string;
  familyId: string;
  version: number;
  status: DocumentState;
  fileName: string;
  format: string;
  pageCount: number;
  ocr: boolean;
  title: string;
  docNumber?: string;
  issuer: string;
  date?: string;
  region: string;
  retired?: Retirement;
  measures: number;
  warnings: string[];
  createdAt: string;
  createdBy: string;
  publishedAt?: string;
  /** While OCR reads it in the background: pages read so far of the pages there are; `queued` until an instance has taken it up. */
  reading?: { pagesRead: number; pagesTotal: number; queued: boolean };
  /** Why reading failed (status `failed`); the original is kept and the read can be retried. */
  error?: string;
}

export interface DocumentPreview extends DocumentRecordView {
  documents: PolicyDocument[];
  measureList: Measure[];
  /** What changed from the published version of the same document, when there is one. */
  diff?: VersionDiff;
}

export class DocumentsError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

interface Parsed {
  documents: PolicyDocument[];
  measures: Measure[];
}

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

const EMPTY_PARSED = JSON.stringify({ documents: [], measures: [] });

const compactTitle = (title: string) => title.replace(/[\s《》“”"]/g, "");

/**
 * The staff workflow for documents: upload (read and parsed into a preview
 * with warnings), correct, publish (live without a restart), retire, delete,
 * and versions. Every change is audited with its actor; originals are kept
 * under DOCUMENTS_DIR so the index can always be rebuilt from them.
 */
export function createDocumentsService(options: DocumentsServiceOptions) {
  const { db, documentsDir, publish, logger } = options;
  const now = options.now ?? (() => new Date());
  const audit = (actor: string, action: string, target: string, detail?: unknown) =>
    recordAudit(db as unknown as Kysely<AuditSchema>, { actor, action, target, detail }, () => now().toISOString());

  const rowOf = async (id: string) => {
    const row = await db.selectFrom("policy_documents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new DocumentsError(404, `no document ${id}`);
    return row;
  };

  /** The record's documents and measures as they will be published: corrections, version and retirement applied. */
  function effective(row: DocumentsTable): Parsed {
    const parsed = JSON.parse(row.parsed) as Parsed;
    const corrections = JSON.parse(row.corrections) as DocumentCorrections;
    const retired = row.retired ? (JSON.parse(row.retired) as Retirement) : undefined;
    const documents = parsed.documents.map((document) => {
      const region = corrections.region ?? document.region;
      const title = corrections.title ?? document.title;
      return {
        ...document,
        title,
        shortTitle: corrections.title ? title.replace(/^.*?印发[^《]*《(.+)》.*$/, "$1") : document.shortTitle,
        docNumber: corrections.docNumber ?? document.docNumber,
        issuer: corrections.issuer ?? document.issuer,
        date: corrections.date ?? document.date,
        region,
        regionPath: corrections.region ? regionPath(region) : document.regionPath,
        version: row.version,
        ...(retired ? { retired } : {}),
      };
    });
    return { documents, measures: parsed.measures };
  }

  function view(row: DocumentsTable): DocumentRecordView {
    const { documents, measures } = effective(row);
    // Nothing is parsed yet while reading (or after a failed read): the file's name stands for the title.
    const first: Partial<PolicyDocument> = documents[0] ?? { title: row.file_name, issuer: "", region: "" };
    return {
      id: row.id,
      familyId: row.family_id,
      version: row.version,
      status: row.state,
      fileName: row.file_name,
      format: row.format,
      pageCount: row.page_count,
      ocr: row.ocr === 1,
      title: first.title ?? row.file_name,
      docNumber: first.docNumber,
      issuer: first.issuer ?? "",
      date: first.date,
      region: first.region ?? "",
      ...(first.retired ? { retired: first.retired } : {}),
      measures: measures.length,
      warnings: JSON.parse(row.warnings) as string[],
      createdAt: row.created_at,
      createdBy: row.created_by,
      ...(row.published_at ? { publishedAt: row.published_at } : {}),
      ...(row.state === "reading" ? { reading: { pagesRead: row.pages_read, pagesTotal: row.page_count, queued: row.claimed_by === null } } : {}),
      ...(row.state === "failed" && row.read_error ? { error: row.read_error } : {}),
    };
  }

  /** A document still being read, or whose read failed, has nothing to check, correct or publish yet. */
  function requireRead(row: DocumentsTable, action: string): void {
    if (row.state === "reading") {
      throw new DocumentsError(
        409,
        `${row.id} (${row.file_name}) is still being read by OCR (page ${row.pages_read} of ${row.page_count}); ${action} it once its preview is ready`,
      );
    }
    if (row.state === "failed")
      throw new DocumentsError(409, `${row.id} (${row.file_name}) could not be read: ${row.read_error}; retry reading it, or delete it`);
  }

  async function publishedRows() {
    return db.selectFrom("policy_documents").selectAll().where("state", "=", "published").orderBy("created_at").execute();
  }

  /** Writes the published set and swaps the knowledge base to it. */
  async function republish(): Promise<void> {
    const rows = await publishedRows();
    const parts = rows.map(effective);
    await publish({ documents: parts.flatMap((p) => p.documents), measures: parts.flatMap((p) => p.measures) });
  }

  /** The published version of the same document (same 文号, else the same title), for a new upload. */
  async function previousVersion(parsed: Parsed): Promise<DocumentsTable | undefined> {
    const first = parsed.documents[0];
    if (first?.format !== "compilation") return undefined;
    for (const row of await publishedRows()) {
      const other = effective(row).documents[0];
      if ((first.docNumber && other.docNumber === first.docNumber) || compactTitle(other.title) === compactTitle(first.title)) return row;
    }
    return undefined;
  }

  /** The family and version a newly read upload takes: the next version of the published document it matches, else its own first version. */
  async function placeInFamily(parsed: Parsed): Promise<{ familyId?: string; version: number }> {
    const previous = await previousVersion(parsed);
    if (!previous) return { version: 1 };
    const latest = await db
      .selectFrom("policy_documents")
      .select(({ fn }) => fn.max("version").as("version"))
      .where("family_id", "=", previous.family_id)
      .executeTakeFirst();
    return { familyId: previous.family_id, version: Number(latest?.version ?? previous.version) + 1 };
  }

  async function sameFileWarnings(name: string, sha256: string): Promise<string[]> {
    const same = await db.selectFrom("policy_documents").select(["id", "version", "state"]).where("sha256", "=", sha256).executeTakeFirst();
    return same ? [`${name}: the same file was uploaded before as ${same.id} (version ${same.version}, ${same.state})`] : [];
  }

  // ---- Background reading: uploads that need OCR wait in state "reading" until one instance claims and reads them.
  const read = options.read ?? ingestOffThread;
  const limits = options.limits ?? DEFAULT_UPLOAD_LIMITS;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const claimTimeoutMs = options.claimTimeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 15_000;
  const reader = {
    stopped: true,
    running: undefined as Promise<void> | undefined,
    again: false,
    poll: undefined as NodeJS.Timeout | undefined,
    /** The upload being read: aborting its controller kills the OCR program running; `finished` settles once it has exited. */
    current: undefined as { id: string; heartbeat: NodeJS.Timeout; abort: AbortController; finished: Promise<unknown> } | undefined,
  };
  const stamp = () => new Date().toISOString();

  /** Claims the oldest upload waiting to be read (unclaimed, or claimed by an instance that stopped renewing): one UPDATE, so two instances never both win. */
  async function claimNext(): Promise<string | undefined> {
    const staleBefore = new Date(Date.now() - claimTimeoutMs).toISOString();
    const waiting = await db
      .selectFrom("policy_documents")
      .select("id")
      .where("state", "=", "reading")
      .where((eb) => eb.or([eb("claimed_by", "is", null), eb("claimed_at", "<", staleBefore)]))
      .orderBy("created_at")
      .orderBy("id")
      .limit(10)
      .execute();
    for (const { id } of waiting) {
      const claimed = await db
        .updateTable("policy_documents")
        .set({ claimed_by: instanceId, claimed_at: stamp() })
        .where("id", "=", id)
        .where("state", "=", "reading")
        .where((eb) => eb.or([eb("claimed_by", "is", null), eb("claimed_at", "<", staleBefore)]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 1) return id;
    }
    return undefined;
  }

  /** Updates made only while this instance still holds the claim (not deleted, not taken over). */
  const whileClaimed = (id: string) =>
    db.updateTable("policy_documents").where("id", "=", id).where("state", "=", "reading").where("claimed_by", "=", instanceId);

  async function readClaimed(id: string): Promise<void> {
    const row = await db.selectFrom("policy_documents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return;
    const renew = () =>
      void whileClaimed(id)
        .set({ claimed_at: stamp() })
        .execute()
        .catch((error) => logger.warn({ err: error, id }, "could not renew the claim on an upload being read"));
    const heartbeat = setInterval(renew, Math.max(20, Math.floor(claimTimeoutMs / 3)));
    heartbeat.unref();
    const abort = new AbortController();
    logger.info({ id, fileName: maskPersonalData(row.file_name), pages: row.page_count, instance: instanceId }, "reading an upload by OCR");
    let result: IngestResult;
    const reading = (async () =>
      read({
        name: row.file_name,
        bytes: readFileSync(join(documentsDir, row.stored_file)),
        sourceFile: `${id}${extname(row.stored_file)}`,
        ocr: options.ocr,
        limits,
        signal: abort.signal,
        onProgress: (pagesRead, pagesTotal) =>
          void whileClaimed(id)
            .set({ pages_read: pagesRead, page_count: pagesTotal, claimed_at: stamp() })
            .execute()
            .catch((error) => logger.warn({ err: error, id }, "could not record reading progress")),
      }))();
    reader.current = { id, heartbeat, abort, finished: reading.catch(() => undefined) };
    try {
      result = await reading;
    } catch (error) {
      // Deleted or stopping: the program was killed on purpose; the row is gone, or goes back to the queue.
      if (error instanceof ReadStoppedError) logger.info({ id }, "reading an upload was stopped");
      else await failed(row, error);
      return;
    } finally {
      clearInterval(heartbeat);
      reader.current = undefined;
    }
    await finished(row, result);
  }

  /**
   * Stops the read of `id` (any upload when left out) if this instance is reading it: its OCR program is
   * killed, and this resolves once it has exited, or after `stopGraceMs` for a reader that does not stop.
   */
  async function stopReading(id?: string): Promise<void> {
    const current = reader.current;
    if (!current || (id !== undefined && current.id !== id)) return;
    current.abort.abort();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([current.finished, new Promise((resolve) => (grace = setTimeout(resolve, options.stopGraceMs ?? 5_000)))]);
    clearTimeout(grace);
  }

  /** The preview is ready: placed in its family (a new version of a published document, or its own first), audited. */
  async function finished(row: DocumentsTable, result: IngestResult): Promise<void> {
    const parsed: Parsed = { documents: result.parsed.documents, measures: result.parsed.measures };
    const { familyId, version } = await placeInFamily(parsed);
    const updated = await whileClaimed(row.id)
      .set({
        state: "preview",
        family_id: familyId ?? row.id,
        version,
        format: result.format,
        page_count: result.pageCount,
        pages_read: result.pageCount,
        ocr: result.ocr ? 1 : 0,
        parsed: JSON.stringify(parsed),
        warnings: JSON.stringify([...(JSON.parse(row.warnings) as string[]), ...result.warnings]),
        claimed_by: null,
        claimed_at: null,
        read_error: null,
      })
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      logger.warn({ id: row.id, instance: instanceId }, "an upload was deleted or taken over while this instance read it; its reading is dropped");
      return;
    }
    await audit("system", "document.read", row.id, {
      fileName: maskPersonalData(row.file_name),
      format: result.format,
      version,
      pages: result.pageCount,
      measures: parsed.measures.length,
      instance: instanceId,
    });
    logger.info({ id: row.id, version, measures: parsed.measures.length }, "upload read; its preview is ready");
  }

  async function failed(row: DocumentsTable, error: unknown): Promise<void> {
    const reason =
      error instanceof IngestError ? error.message : `${row.file_name}: could not be read (${error instanceof Error ? error.message : String(error)})`;
    if (error instanceof IngestError) logger.warn({ id: row.id, reason }, "an upload could not be read");
    else logger.error({ err: error, id: row.id }, "reading an upload failed unexpectedly");
    const updated = await whileClaimed(row.id).set({ state: "failed", read_error: reason, claimed_by: null, claimed_at: null }).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return;
    await audit("system", "document.read-failed", row.id, { fileName: maskPersonalData(row.file_name), error: maskPersonalData(reason), instance: instanceId });
  }

  /** Reads every waiting upload, one at a time (OCR takes the CPU), until none is left to claim. */
  async function drain(): Promise<void> {
    while (!reader.stopped) {
      const id = await claimNext();
      if (!id) return;
      await readClaimed(id);
    }
  }

  /** Starts a pass over waiting uploads, or asks the running one to look again when it ends. */
  function kick(): void {
    if (reader.stopped) return;
    if (reader.running) {
      reader.again = true;
      return;
    }
    reader.again = false;
    reader.running = drain()
      .catch((error) => logger.warn({ err: error }, "reading waiting uploads failed; trying again at the next check"))
      .finally(() => {
        reader.running = undefined;
        if (reader.again) kick();
      });
  }

  async function diffOf(row: DocumentsTable): Promise<VersionDiff | undefined> {
    if (row.family_id === row.id && row.version === 1) return undefined;
    const base = await db
      .selectFrom("policy_documents")
      .selectAll()
      .where("family_id", "=", row.family_id)
      .where("version", "<", row.version)
      .where("state", "in", ["published", "archived"])
      .orderBy("version", "desc")
      .executeTakeFirst();
    if (!base) return undefined;
    return diffVersions(effective(base).measures, effective(row).measures, base.version, row.version);
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
      id,
      family_id: id,
      version: 1,
      state: "reading",
      file_name: file.name,
      stored_file: storedFile,
      format: upload.format,
      sha256: upload.sha256,
      page_count: upload.pageCount,
      ocr: 1,
      parsed: EMPTY_PARSED,
      corrections: "{}",
      retired: null,
      warnings: JSON.stringify(await sameFileWarnings(file.name, upload.sha256)),
      created_at: now().toISOString(),
      created_by: actor,
      published_at: null,
      claimed_by: null,
      claimed_at: null,
      pages_read: 0,
      read_error: null,
    };
    await db.insertInto("policy_documents").values(row).execute();
    await audit(actor, "document.upload", id, { fileName: maskPersonalData(file.name), format: upload.format, state: "reading", pages: upload.pageCount });
    kick();
    return view(row);
  }

  const service = {
    /**
     * Reads each file into a preview; a file that cannot be read is reported by name and the others go on.
     * A file that needs OCR is kept and answered at once in state "reading"; the background reader reads it.
     */
    async upload(files: UploadedFile[], actor: string) {
      const results: Array<DocumentRecordView & { diff?: VersionDiff }> = [];
      for (const file of files) {
        const id = `doc-${randomUUID().slice(0, 8)}`;
        const extension =
          extname(file.name)
            .toLowerCase()
            .replace(/[^.a-z0-9]/g, "") || ".bin";
        const sha256 = createHash("sha256").update(file.bytes).digest("hex");
        // Read off this thread, every bound checked first: a hostile file fails alone, and requests keep being answered meanwhile.
        const prepared = await prepareOffThread({ name: file.name, bytes: file.bytes, sourceFile: `${id}${extension}`, limits });
        if (prepared.needsOcr) {
          results.push(await accept(file, { id, extension, sha256, actor, format: prepared.format, pageCount: prepared.pageCount }));
          continue;
        }
        const { result } = prepared;
        const parsed: Parsed = { documents: result.parsed.documents, measures: result.parsed.measures };
        result.warnings.unshift(...(await sameFileWarnings(file.name, sha256)));
        const { familyId, version } = await placeInFamily(parsed);
        const storedFile = join(id, `v${version}${extension}`);
        const path = join(documentsDir, storedFile);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.bytes);
        const row: DocumentsTable = {
          id,
          family_id: familyId ?? id,
          version,
          state: "preview",
          file_name: file.name,
          stored_file: storedFile,
          format: result.format,
          sha256,
          page_count: result.pageCount,
          ocr: result.ocr ? 1 : 0,
          parsed: JSON.stringify(parsed),
          corrections: "{}",
          retired: null,
          warnings: JSON.stringify(result.warnings),
          created_at: now().toISOString(),
          created_by: actor,
          published_at: null,
          claimed_by: null,
          claimed_at: null,
          pages_read: result.pageCount,
          read_error: null,
        };
        await db.insertInto("policy_documents").values(row).execute();
        await audit(actor, "document.upload", id, { fileName: maskPersonalData(file.name), format: result.format, version, measures: parsed.measures.length });
        const diff = await diffOf(row);
        results.push({ ...view(row), ...(diff ? { diff } : {}) });
      }
      return results;
    },

    /** Reading a failed upload again (after installing OCR, or when the failure was passing). */
    async retry(id: string, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      if (row.state !== "failed") throw new DocumentsError(409, `${id} is ${row.state}; only an upload whose reading failed can be read again`);
      // Nothing of the failed attempt may run beside the new one.
      await stopReading(id);
      const updated = await db
        .updateTable("policy_documents")
        .set({ state: "reading", read_error: null, pages_read: 0, claimed_by: null, claimed_at: null })
        .where("id", "=", id)
        .where("state", "=", "failed")
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DocumentsError(409, `${id} is already being read again`);
      await audit(actor, "document.retry", id, {
        fileName: maskPersonalData(row.file_name),
        previousError: row.read_error && maskPersonalData(row.read_error),
      });
      kick();
      return view(await rowOf(id));
    },

    /** Starts reading uploads that wait for OCR in the background (done at creation unless `background: false`). */
    start(): void {
      if (!reader.stopped) return;
      reader.stopped = false;
      reader.poll = setInterval(kick, pollMs);
      reader.poll.unref();
      kick();
    },

    /**
     * Stops reading in the background and gives back the claim on the upload being read, so another
     * instance (or this one's next start) reads it at once; a read under way is stopped (its OCR program killed) and not recorded.
     */
    async stop(): Promise<void> {
      reader.stopped = true;
      clearInterval(reader.poll);
      const current = reader.current;
      if (current) {
        clearInterval(current.heartbeat);
        // Killed, not waited for: a SIGTERM must not wait for pdftoppm or tesseract to finish a page.
        await stopReading();
        await whileClaimed(current.id).set({ claimed_by: null, claimed_at: null }).execute();
      }
    },

    /** This instance's name on its claims. */
    instanceId,

    /** Resolves when the reader's current pass ends (nothing left to claim, or stopped). */
    async settled(): Promise<void> {
      while (reader.running) await reader.running;
    },

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

    async correct(id: string, corrections: DocumentCorrections, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      requireRead(row, "correct");
      const merged = { ...(JSON.parse(row.corrections) as DocumentCorrections), ...corrections };
      await db
        .updateTable("policy_documents")
        .set({ corrections: JSON.stringify(merged) })
        .where("id", "=", id)
        .execute();
      await audit(actor, "document.correct", id, corrections);
      if (row.state === "published") await republish();
      return view(await rowOf(id));
    },

    /** Makes the document live; a newer version replaces the published one of its family. */
    async publish(id: string, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      if (row.state === "archived") throw new DocumentsError(409, `${id} is an old version; upload it again to publish it`);
      requireRead(row, "publish");
      const replaced = await db
        .selectFrom("policy_documents")
        .select("id")
        .where("family_id", "=", row.family_id)
        .where("state", "=", "published")
        .where("id", "!=", id)
        .execute();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("policy_documents")
          .set({ state: "archived" })
          .where("family_id", "=", row.family_id)
          .where("state", "=", "published")
          .where("id", "!=", id)
          .execute();
        await trx
          .updateTable("policy_documents")
          .set({ state: "published", published_at: now().toISOString() })
          .where("id", "=", id)
          .where("state", "in", ["preview", "published"])
          .execute();
      });
      await republish();
      await audit(actor, "document.publish", id, { version: row.version, replaces: replaced.map((r) => r.id) });
      return view(await rowOf(id));
    },

    /** 废止 or 被替代 from a date; the measures then answer as no longer in force. */
    async retire(id: string, request: RetireRequest, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      requireRead(row, "retire");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date)) throw new DocumentsError(400, "date: must be YYYY-MM-DD");
      let replacement = request.replacedBy?.trim();
      if (replacement && /^doc-[\w-]+$/.test(replacement)) {
        const otherRow = await rowOf(replacement);
        requireRead(otherRow, "name as a replacement");
        const other = effective(otherRow).documents[0];
        replacement = `《${other.shortTitle}》${other.docNumber ? `（${other.docNumber}）` : ""}`;
      } else if (replacement && !replacement.startsWith("《")) {
        replacement = `《${replacement}》`;
      }
      if (request.kind === "superseded" && !replacement) throw new DocumentsError(400, "replacedBy: name the document that supersedes this one");
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
      if (row.state === "published") await republish();
      return view(await rowOf(id));
    },

    /** Back in force (a retirement entered by mistake). */
    async reinstate(id: string, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      requireRead(row, "reinstate");
      await db.updateTable("policy_documents").set({ retired: null }).where("id", "=", id).execute();
      await audit(actor, "document.reinstate", id);
      if (row.state === "published") await republish();
      return view(await rowOf(id));
    },

    /** Removes the document entirely: from the index, the database and the documents folder. */
    async remove(id: string, actor: string): Promise<void> {
      const row = await rowOf(id);
      const { documents, measures } = effective(row);
      // Its OCR program is killed before its original goes: nothing keeps working on a deleted upload.
      await stopReading(id);
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
          .set({ parsed: JSON.stringify({ documents: result.parsed.documents, measures: result.parsed.measures }), warnings: JSON.stringify(result.warnings) })
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
