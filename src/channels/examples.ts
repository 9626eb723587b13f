import { readFileSync } from "node:fs";
import { z } from "zod";
import { MAX_QUESTION_CHARS } from "../core/ask.js";

const EXAMPLES_FILE = new URL("./examples.json", import.meta.url);
const examplesSchema = z.array(z.string().trim().min(1).max(MAX_QUESTION_CHARS)).min(1);

/**
 * The example questions every channel offers (console buttons, Slack's suggested prompts): curated in
 * examples.json, never taken from what anonymous users asked, so nobody can put text on them.
 */
export function loadExampleQuestions(file: URL | string = EXAMPLES_FILE): string[] {
  return examplesSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
