import { regionPath } from "../corpus/regions.js";
import type { PolicyDocument, Retirement } from "../types.js";
import type { DocumentCorrections, DocumentRecordView, Parsed } from "./document-types.js";
import { DocumentsError } from "./documents-error.js";
import type { DocumentsTable } from "./documents-table.js";

export const EMPTY_PARSED = JSON.stringify({ documents: [], measures: [] });

export const compactTitle = (title: string) => title.replace(/[\s《》“”"]/g, "");

/** The record's documents and measures as they will be published: corrections, version and retirement applied. */
export function effective(row: DocumentsTable): Parsed {
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

/** The record as staff see it. */
export function recordView(row: DocumentsTable): DocumentRecordView {
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
export function requireRead(row: DocumentsTable, action: string): void {
  if (row.state === "reading") {
    throw new DocumentsError(
      "DOCUMENT_CONFLICT",
      `${row.id} (${row.file_name}) is still being read by OCR (page ${row.pages_read} of ${row.page_count}); ${action} it once its preview is ready`,
    );
  }
  if (row.state === "failed")
    throw new DocumentsError("DOCUMENT_CONFLICT", `${row.id} (${row.file_name}) could not be read: ${row.read_error}; retry reading it, or delete it`);
}
