import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { regionPath } from "../corpus/regions.js";
import { ingestDocument } from "../ingest/ingest.js";
import type { OcrOptions } from "../ingest/ocr.js";
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
  now?: () => Date;
  /** Told when a document is deleted, with the measure ids that went with it (the question library flags entries that cited them). */
  onDeleted?: (documentId: string, measureIds: string[]) => Promise<void> | void;
}

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
    const first = documents[0];
    return {
      id: row.id,
      familyId: row.family_id,
      version: row.version,
      status: row.state,
      fileName: row.file_name,
      format: row.format,
      pageCount: row.page_count,
      ocr: row.ocr === 1,
      title: first.title,
      docNumber: first.docNumber,
      issuer: first.issuer,
      date: first.date,
      region: first.region,
      ...(first.retired ? { retired: first.retired } : {}),
      measures: measures.length,
      warnings: JSON.parse(row.warnings) as string[],
      createdAt: row.created_at,
      createdBy: row.created_by,
      ...(row.published_at ? { publishedAt: row.published_at } : {}),
    };
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

  return {
    /** Reads each file into a preview; a file that cannot be read is reported by name and the others go on. */
    async upload(files: UploadedFile[], actor: string) {
      const results: Array<DocumentRecordView & { diff?: VersionDiff }> = [];
      for (const file of files) {
        const id = `doc-${randomUUID().slice(0, 8)}`;
        const extension =
          extname(file.name)
            .toLowerCase()
            .replace(/[^.a-z0-9]/g, "") || ".bin";
        const result = await ingestDocument({ name: file.name, bytes: file.bytes, sourceFile: `${id}${extension}`, ocr: options.ocr });
        const parsed: Parsed = { documents: result.parsed.documents, measures: result.parsed.measures };
        const previous = await previousVersion(parsed);
        const sha256 = createHash("sha256").update(file.bytes).digest("hex");
        const same = await db.selectFrom("policy_documents").select(["id", "version", "state"]).where("sha256", "=", sha256).executeTakeFirst();
        if (same) result.warnings.unshift(`${file.name}: the same file was uploaded before as ${same.id} (version ${same.version}, ${same.state})`);
        const latest = previous
          ? await db
              .selectFrom("policy_documents")
              .select(({ fn }) => fn.max("version").as("version"))
              .where("family_id", "=", previous.family_id)
              .executeTakeFirst()
          : undefined;
        const version = previous ? Number(latest?.version ?? previous.version) + 1 : 1;
        const storedFile = join(id, `v${version}${extension}`);
        const path = join(documentsDir, storedFile);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.bytes);
        const row: DocumentsTable = {
          id,
          family_id: previous?.family_id ?? id,
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
        };
        await db.insertInto("policy_documents").values(row).execute();
        await audit(actor, "document.upload", id, { fileName: maskPersonalData(file.name), format: result.format, version, measures: parsed.measures.length });
        const diff = await diffOf(row);
        results.push({ ...view(row), ...(diff ? { diff } : {}) });
      }
      return results;
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
        await trx.updateTable("policy_documents").set({ state: "published", published_at: now().toISOString() }).where("id", "=", id).execute();
      });
      await republish();
      await audit(actor, "document.publish", id, { version: row.version, replaces: replaced.map((r) => r.id) });
      return view(await rowOf(id));
    },

    /** 废止 or 被替代 from a date; the measures then answer as no longer in force. */
    async retire(id: string, request: RetireRequest, actor: string): Promise<DocumentRecordView> {
      const row = await rowOf(id);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date)) throw new DocumentsError(400, "date: must be YYYY-MM-DD");
      let replacement = request.replacedBy?.trim();
      if (replacement && /^doc-[\w-]+$/.test(replacement)) {
        const other = effective(await rowOf(replacement)).documents[0];
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
      await db.updateTable("policy_documents").set({ retired: null }).where("id", "=", id).execute();
      await audit(actor, "document.reinstate", id);
      if (row.state === "published") await republish();
      return view(await rowOf(id));
    },

    /** Removes the document entirely: from the index, the database and the documents folder. */
    async remove(id: string, actor: string): Promise<void> {
      const row = await rowOf(id);
      const { documents, measures } = effective(row);
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
      const rows = await db.selectFrom("policy_documents").selectAll().where("state", "!=", "archived").execute();
      for (const row of rows) {
        const bytes = readFileSync(join(documentsDir, row.stored_file));
        const result = await ingestDocument({ name: row.file_name, bytes, sourceFile: `${row.id}${extname(row.stored_file)}`, ocr: options.ocr });
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
}
export type DocumentsService = ReturnType<typeof createDocumentsService>;
