import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../errors.js";

export interface Prompts {
  system: string;
  answer: string;
  repair: string;
  rewrite: string;
  /** Rewrites a colloquial question into the documents' terms, several ways. */
  expand: string;
  /** Judges whether numbered clauses answer a question. */
  judge: string;
  /** Short hash of all templates, recorded on every stored answer. */
  version: string;
}

const NAMES = ["system", "answer", "repair", "rewrite", "expand", "judge"] as const;

/** Loads the prompt templates from `directory` once, at start. */
export function loadPrompts(directory: string): Prompts {
  const texts = NAMES.map((name) => {
    const path = join(directory, `${name}.md`);
    if (!existsSync(path)) throw new AppError("CONFIG_MISSING", `Prompt template ${path} is missing. Set PROMPTS_DIR to the prompts folder.`);
    return readFileSync(path, "utf8").trim();
  });
  const version = `prompts-${createHash("sha256").update(texts.join("\0")).digest("hex").slice(0, 10)}`;
  const [system, answer, repair, rewrite, expand, judge] = texts;
  return { system, answer, repair, rewrite, expand, judge, version };
}

/** Fills {{name}} slots. Values are inserted as they are: they are data inside delimiters, never template syntax. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");
}
