import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { extname, join } from "node:path";
import type { Logger } from "pino";
import { isIngestError } from "../ingest/errors.js";
import type { IngestInput, IngestResult } from "../ingest/ingest.js";
import type { UploadLimits } from "../ingest/limits.js";
import { type OcrOptions, ReadStoppedError } from "../ingest/ocr.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import type { DocumentsDatabase, Parsed } from "./document-types.js";
import type { DocumentsTable } from "./documents-table.js";
import { placeInFamily } from "./family.js";

export interface BackgroundReaderOptions {
  db: DocumentsDatabase;
  documentsDir: string;
  logger: Logger;
  /** Reads one file that needs OCR. */
  read: (input: IngestInput) => Promise<IngestResult>;
  ocr?: OcrOptions;
  limits: UploadLimits;
  now: () => Date;
  audit: (actor: string, action: string, target: string, detail?: unknown) => Promise<void>;
  /** This instance's name on the uploads it claims for reading; unique per reader by default. */
  instanceId?: string;
  /** A claim not renewed for this long is an instance that died: another takes the upload over (60 s; renewed every third of it while reading). */
  claimTimeoutMs?: number;
  /** How often waiting uploads are looked for besides right after an upload or a retry (15 s): claims of dead instances are taken over then. */
  pollMs?: number;
  /** How long a delete or a stop waits for the read it stops to end (5 s). */
  stopGraceMs?: number;
}

/**
 * The OCR job queue: uploads that need OCR wait in state "reading" until one
 * instance claims one (a single conditional UPDATE, so two never both win),
 * reads it off the main thread while renewing its claim, and turns it into a
 * preview, or into `failed` with the reason. A claim not renewed is taken over.
 */
export function createBackgroundReader(options: BackgroundReaderOptions) {
  const { db, documentsDir, logger, read, limits, now, audit } = options;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const claimTimeoutMs = options.claimTimeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 15_000;
  const state = {
    stopped: true,
    running: undefined as Promise<void> | undefined,
    again: false,
    poll: undefined as NodeJS.Timeout | undefined,
    /** The upload being read: aborting its controller kills the OCR program running; `finished` settles once it has exited. */
    current: undefined as { id: string; heartbeat: NodeJS.Timeout; abort: AbortController; finished: Promise<unknown> } | undefined,
  };
  const stamp = () => now().toISOString();

  /** Claims the oldest upload waiting to be read (unclaimed, or claimed by an instance that stopped renewing). */
  async function claimNext(): Promise<string | undefined> {
    const staleBefore = new Date(now().getTime() - claimTimeoutMs).toISOString();
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
    state.current = { id, heartbeat, abort, finished: reading.catch(() => undefined) };
    try {
      result = await reading;
    } catch (error) {
      // Deleted or stopping: the program was killed on purpose; the row is gone, or goes back to the queue.
      if (error instanceof ReadStoppedError) logger.info({ id }, "reading an upload was stopped");
      else await failed(row, error);
      return;
    } finally {
      clearInterval(heartbeat);
      state.current = undefined;
    }
    await finished(row, result);
  }

  /** The preview is ready: placed in its family (a new version of a published document, or its own first), audited. */
  async function finished(row: DocumentsTable, result: IngestResult): Promise<void> {
    const parsed: Parsed = { documents: result.parsed.documents, measures: result.parsed.measures };
    const { familyId, version } = await placeInFamily(db, parsed);
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
        layout: result.layout ? JSON.stringify(result.layout) : null,
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
    const known = isIngestError(error);
    const reason = known ? error.message : `${row.file_name}: could not be read (${error instanceof Error ? error.message : String(error)})`;
    if (known) logger.warn({ id: row.id, reason }, "an upload could not be read");
    else logger.error({ err: error, id: row.id }, "reading an upload failed unexpectedly");
    const updated = await whileClaimed(row.id).set({ state: "failed", read_error: reason, claimed_by: null, claimed_at: null }).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return;
    await audit("system", "document.read-failed", row.id, { fileName: maskPersonalData(row.file_name), error: maskPersonalData(reason), instance: instanceId });
  }

  /** Reads every waiting upload, one at a time (OCR takes the CPU), until none is left to claim. */
  async function drain(): Promise<void> {
    while (!state.stopped) {
      const id = await claimNext();
      if (!id) return;
      await readClaimed(id);
    }
  }

  /** Stops the read of `id` (any upload when left out) if this instance is reading it; resolves once it has exited, or after the grace. */
  async function stopReading(id?: string): Promise<void> {
    const current = state.current;
    if (!current || (id !== undefined && current.id !== id)) return;
    current.abort.abort();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([current.finished, new Promise((resolve) => (grace = setTimeout(resolve, options.stopGraceMs ?? 5_000)))]);
    clearTimeout(grace);
  }

  /** Starts a pass over waiting uploads, or asks the running one to look again when it ends. */
  function kick(): void {
    if (state.stopped) return;
    if (state.running) {
      state.again = true;
      return;
    }
    state.again = false;
    state.running = drain()
      .catch((error) => logger.warn({ err: error }, "reading waiting uploads failed; trying again at the next check"))
      .finally(() => {
        state.running = undefined;
        if (state.again) kick();
      });
  }

  return {
    instanceId,
    stopReading,
    kick,

    start(): void {
      if (!state.stopped) return;
      state.stopped = false;
      state.poll = setInterval(kick, pollMs);
      state.poll.unref();
      kick();
    },

    /** Stops; the upload being read is stopped (its OCR program killed) and its claim given back, so another instance reads it at once. */
    async stop(): Promise<void> {
      state.stopped = true;
      clearInterval(state.poll);
      const current = state.current;
      if (current) {
        clearInterval(current.heartbeat);
        // Killed, not waited for: a SIGTERM must not wait for pdftoppm or tesseract to finish a page.
        await stopReading();
        await whileClaimed(current.id).set({ claimed_by: null, claimed_at: null }).execute();
      }
    },

    /** Resolves when the current pass ends (nothing left to claim, or stopped). */
    async settled(): Promise<void> {
      while (state.running) await state.running;
    },
  };
}
export type BackgroundReader = ReturnType<typeof createBackgroundReader>;
