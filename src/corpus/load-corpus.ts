import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors.js";
import type { Corpus } from "../types.js";
import { looksLikeCompilation, parseCompilation } from "./parse-compilation.js";
import { parsePlain } from "./parse-plain.js";

export interface SourceFile {
  name: string;
  text: string;
  /** Something the operator should know about the file, logged with the corpus warnings. */
  warning?: string;
  /** Not text: left out of the corpus (the warning says why). */
  refused?: boolean;
}

/** Past this a seed is most likely a mistake (a database dump, a scanned PDF's text layer). */
export const HUGE_SEED_BYTES = 20 * 1024 * 1024;

const sorted = (files: SourceFile[]) => [...files].sort((a, b) => a.name.localeCompare(b.name));

/** Content hash of the source files: names and texts. */
export function corpusHash(files: SourceFile[]): string {
  const hash = createHash("sha256");
  for (const file of sorted(files)) hash.update(file.name).update("\0").update(file.text).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Parses source files into one corpus. Pure: reading the folder is `loadSeedFiles`. */
export function buildCorpus(files: SourceFile[]): Corpus {
  const corpus: Corpus = { documents: [], measures: [], warnings: [], hash: corpusHash(files) };
  for (const file of sorted(files)) {
    if (file.warning) corpus.warnings.push(file.warning);
    if (file.refused) continue;
    const compilation = looksLikeCompilation(file.text);
    const parsed = compilation ? parseCompilation(file.text, file.name) : parsePlain(file.text, file.name);
    if (!compilation) {
      corpus.warnings.push(`${file.name}: not in the compilation format (no numbered document heading with a date); indexed as plain paragraphs`);
    } else if (parsed.measures.length === 0) {
      corpus.warnings.push(`${file.name}: documents found but no numbered measures`);
    }
    // One at a time: spreading a big plain file's paragraphs into push() passes each as an argument and overflows the stack.
    for (const document of parsed.documents) corpus.documents.push(document);
    for (const measure of parsed.measures) corpus.measures.push(measure);
  }
  return corpus;
}

/** A cheap fingerprint of the seeds (names, sizes, modification times), to find a saved parse without reading them. */
export function seedFingerprint(directory: string): string {
  const hash = createHash("sha256");
  for (const name of listSeedNames(directory)) {
    const stat = statSync(join(directory, name));
    hash.update(`${name}\0${stat.size}\0${stat.mtimeMs}\0`);
  }
  return hash.digest("hex").slice(0, 16);
}

function listSeedNames(directory: string): string[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new AppError("SEEDS_MISSING", `The seeds folder ${directory} does not exist. Put policy .txt files there or set SEEDS_DIR.`);
  }
  const names = readdirSync(directory)
    .filter((name) => name.endsWith(".txt"))
    .sort();
  if (!names.length) {
    throw new AppError("SEEDS_EMPTY", `The seeds folder ${directory} has no .txt files. Add policy documents or set SEEDS_DIR.`);
  }
  return names;
}

/**
 * Reads the seeds as UTF-8 text. A file that is not text (NUL bytes, or bytes
 * that are not UTF-8, such as a GBK export) is left out with a warning naming
 * it, since indexing it would put garbage into answers; when no file is left,
 * this throws. Huge files are read, with a warning.
 */
export function loadSeedFiles(directory: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const name of listSeedNames(directory)) {
    const bytes = readFileSync(join(directory, name));
    const text = decodeText(bytes);
    if (text === undefined) {
      const why = bytes.includes(0) ? "it contains NUL bytes" : "invalid UTF-8; a GBK file converts with iconv -f GBK -t UTF-8";
      files.push({ name, text: "", refused: true, warning: `${join(directory, name)} is not UTF-8 text (${why}); left out of the index` });
      continue;
    }
    const warning =
      bytes.byteLength > HUGE_SEED_BYTES
        ? `${join(directory, name)} is ${Math.round(bytes.byteLength / 1024 / 1024)} MB, more than ${HUGE_SEED_BYTES / 1024 / 1024} MB: parsing and indexing it will be slow; check it is a policy text`
        : undefined;
    files.push({ name, text, ...(warning ? { warning } : {}) });
  }
  if (files.every((file) => file.refused)) {
    const reasons = files.map((file) => file.warning).join("; ");
    throw new AppError(
      "SEEDS_UNREADABLE",
      `The seeds folder ${directory} has no UTF-8 text file: ${reasons}. Convert the files to UTF-8 text or set SEEDS_DIR.`,
    );
  }
  return files;
}

function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
