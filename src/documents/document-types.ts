import type { Kysely } from "kysely";
import type { SourceLayout } from "../ingest/source-layout.js";
import type { AuditSchema } from "../store/audit.js";
import type { Measure, PolicyDocument, Retirement } from "../types.js";
import type { DocumentState, DocumentsSchema } from "./documents-table.js";
import type { VersionDiff } from "./version-diff.js";

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

/** What the parser read from one upload. */
export interface Parsed {
  documents: PolicyDocument[];
  measures: Measure[];
}

/** A published upload's original file, for the original view. */
export interface OriginalFile {
  /** Where it is kept, under DOCUMENTS_DIR. */
  path: string;
  /** As ingest detected it: pdf, ofd, docx, html, image, txt. */
  format: string;
  /** The name it was uploaded under. */
  fileName: string;
  sha256: string;
  /** Where its clauses are on its pages, when its text layer had positions and it was read since they are recorded. */
  layout?: SourceLayout;
}
