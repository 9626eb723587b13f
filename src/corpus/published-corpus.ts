import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Corpus, Measure, PolicyDocument } from "../types.js";

/** The published uploads, as the knowledge base reads them: written by the documents service on every change. */
export interface PublishedSnapshot {
  documents: PolicyDocument[];
  measures: Measure[];
}

export const PUBLISHED_FILE = "published.json";

/** The published set as read from DOCUMENTS_DIR; `damaged` says why it was not used (the file and the reason). */
export type PublishedRead = PublishedSnapshot & { damaged?: string };

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The published uploads under `documentsDir`, or none (no folder, or nothing
 * published yet). The file carries the sha256 of its snapshot, checked as the
 * index files are: a changed byte (减免90% for 40%) or a cut-off file is never
 * used. It is then left out, with `damaged` naming the file and what is wrong,
 * and the server rebuilds it from the documents table (see restorePublished).
 */
export function readPublished(documentsDir: string | undefined): PublishedRead {
  const path = documentsDir ? join(documentsDir, PUBLISHED_FILE) : undefined;
  if (!path || !existsSync(path)) return { documents: [], measures: [] };
  const damaged = (why: string) => ({ documents: [], measures: [], damaged: `${path}: ${why}` });
  let stored: Partial<PublishedSnapshot> & { sha256?: unknown };
  try {
    stored = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return damaged(`not valid JSON (${(error as Error).message}); the file is cut off or changed`);
  }
  if (!stored || !Array.isArray(stored.documents) || !Array.isArray(stored.measures)) return damaged("has no documents and measures lists");
  const snapshot: PublishedSnapshot = { documents: stored.documents, measures: stored.measures };
  if (typeof stored.sha256 !== "string") return damaged("has no checksum (written by an older version)");
  if (digest(JSON.stringify(snapshot)) !== stored.sha256) return damaged("checksum mismatch: the file changed after it was written");
  return snapshot;
}

/** Replaces the snapshot in one rename, so a reader never sees half of it; its checksum is inside, so no second file can disagree with it. */
export function writePublished(documentsDir: string, snapshot: PublishedSnapshot): void {
  mkdirSync(documentsDir, { recursive: true });
  const path = join(documentsDir, PUBLISHED_FILE);
  const staging = `${path}.tmp-${process.pid}`;
  const body = JSON.stringify({ documents: snapshot.documents, measures: snapshot.measures });
  writeFileSync(staging, `{"sha256":"${digest(body)}",${body.slice(1)}`);
  renameSync(staging, path);
}

/** A cheap fingerprint of the snapshot, for the parsed-corpus cache. */
export function publishedFingerprint(documentsDir: string | undefined): string {
  const path = documentsDir ? join(documentsDir, PUBLISHED_FILE) : undefined;
  if (!path || !existsSync(path)) return "none";
  return createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
}

/** Documents shipped in seeds/ (uploads carry a version). */
export function seedPart(corpus: Corpus): Corpus {
  const documents = corpus.documents.filter((d) => d.version === undefined);
  const ids = new Set(documents.map((d) => d.id));
  return { ...corpus, documents, measures: corpus.measures.filter((m) => ids.has(m.documentId)), hash: corpus.hash.split("+")[0] };
}

/** The seeds' corpus with the published uploads after it; its hash covers both, so an index is reused only for the same set. */
export function withPublished(seeds: Corpus, published: PublishedRead): Corpus {
  // A damaged set is left out (answers come from the seeds until it is rebuilt), and the start's warnings name it.
  if (published.damaged) return { ...seeds, warnings: [...seeds.warnings, `published uploads left out: ${published.damaged}`] };
  if (!published.documents.length) return seeds;
  const setDigest = digest(JSON.stringify({ documents: published.documents, measures: published.measures })).slice(0, 16);
  return {
    documents: [...seeds.documents, ...published.documents],
    measures: [...seeds.measures, ...published.measures],
    warnings: seeds.warnings,
    hash: `${seeds.hash}+${setDigest}`,
  };
}
