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

/** The published uploads under `documentsDir`, or none (no folder, or nothing published yet). */
export function readPublished(documentsDir: string | undefined): PublishedSnapshot {
  const path = documentsDir ? join(documentsDir, PUBLISHED_FILE) : undefined;
  if (!path || !existsSync(path)) return { documents: [], measures: [] };
  const snapshot = JSON.parse(readFileSync(path, "utf8")) as PublishedSnapshot;
  return { documents: snapshot.documents ?? [], measures: snapshot.measures ?? [] };
}

/** Replaces the snapshot in one rename, so a reader never sees half of it. */
export function writePublished(documentsDir: string, snapshot: PublishedSnapshot): void {
  mkdirSync(documentsDir, { recursive: true });
  const path = join(documentsDir, PUBLISHED_FILE);
  const staging = `${path}.tmp-${process.pid}`;
  writeFileSync(staging, JSON.stringify(snapshot));
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
export function withPublished(seeds: Corpus, published: PublishedSnapshot): Corpus {
  if (!published.documents.length) return seeds;
  const digest = createHash("sha256").update(JSON.stringify(published)).digest("hex").slice(0, 16);
  return {
    documents: [...seeds.documents, ...published.documents],
    measures: [...seeds.measures, ...published.measures],
    warnings: seeds.warnings,
    hash: `${seeds.hash}+${digest}`,
  };
}
