import { readFileSync } from "node:fs";
import { AppError } from "../errors.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { QuestionLibrary, ValidInput } from "./question-library.js";
import { readCsv, readJsonl } from "./transfer.js";
import { validateEntry } from "./validate-entry.js";

/**
 * Applies a library file (the export format: .csv, or JSONL otherwise) to a
 * library, checked line by line against the knowledge base as the API checks
 * an import; a bad line stops it, naming the file, line and field.
 */
export async function applyLibraryFile(
  library: QuestionLibrary,
  path: string,
  knowledgeBase: KnowledgeBase,
  actor = "file",
): Promise<{ created: number; updated: number }> {
  const text = readFileSync(path, "utf8");
  const lines = /\.csv$/i.test(path) ? readCsv(text) : readJsonl(text);
  const valid: ValidInput[] = [];
  for (const line of lines) {
    if (line.error) throw new AppError("CONFIG_INVALID", `${path} line ${line.line}: ${line.error}`);
    const checked = validateEntry(line.input!, knowledgeBase);
    if (!checked.ok) throw new AppError("CONFIG_INVALID", `${path} line ${line.line}: ${checked.field}: ${checked.error}`);
    valid.push(checked.value);
  }
  return library.importMany(valid, actor);
}
