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
}

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
    const compilation = looksLikeCompilation(file.text);
    const parsed = compilation ? parseCompilation(file.text, file.name) : parsePlain(file.text, file.name);
    if (!compilation) {
      corpus.warnings.push(`${file.name}: not in the compilation format (no numbered document heading with a date); indexed as plain paragraphs`);
    } else if (parsed.measures.length === 0) {
      corpus.warnings.push(`${file.name}: documents found but no numbered measures`);
    }
    corpus.documents.push(...parsed.documents);
    corpus.measures.push(...parsed.measures);
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

export function loadSeedFiles(directory: string): SourceFile[] {
  return listSeedNames(directory).map((name) => ({ name, text: readFileSync(join(directory, name), "utf8") }));
}
