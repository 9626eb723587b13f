import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { type ChatModel, OpenAIChatModel } from "../answer/model/chat-model.js";
import { fill } from "../answer/model/prompts.js";
import { ResilientChatModel } from "../answer/model/resilient.js";
import type { Config } from "../config.js";
import type { Measure, PolicyDocument } from "../types.js";
import type { LibrarySchema, LibrarySuggestionTable } from "./schema.js";

export const SUGGESTION_PROMPT = "library-questions.md";
const PER_MEASURE = 5;

/** The prompt for "生成关联问题", from PROMPTS_DIR; undefined when the file is missing (suggestions are then off). */
export function loadSuggestionPrompt(promptsDir: string): string | undefined {
  const path = join(promptsDir, SUGGESTION_PROMPT);
  return existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
}

/** The model's reply as questions: one a line, numbering and bullets dropped, at most five, each a real question. */
export function parseSuggestedQuestions(reply: string): string[] {
  const questions = reply
    .split(/\n/)
    .map((line) =>
      line
        .replace(/^\s*(?:[-*•]|\d+[.、)）]|[（(]\d+[)）])\s*/, "")
        .replace(/^["“]|["”]$/g, "")
        .trim(),
    )
    .filter((line) => line.length >= 4 && line.length <= 80 && /[\u3400-\u9fff]/.test(line));
  return [...new Set(questions)].slice(0, PER_MEASURE);
}

export interface SuggestOptions {
  model: ChatModel;
  prompt: string;
  db: Kysely<LibrarySchema>;
  actor: string;
  now?: () => string;
  signal?: AbortSignal;
}

/** Asks the model how people would ask about each measure; the questions wait, pending, for a person. */
export async function suggestQuestions(
  measures: Array<{ measure: Measure; document: PolicyDocument }>,
  { model, prompt, db, actor, now = () => new Date().toISOString(), signal }: SuggestOptions,
): Promise<LibrarySuggestionTable[]> {
  const rows: LibrarySuggestionTable[] = [];
  for (const { measure, document } of measures) {
    const content = fill(prompt, { document: document.shortTitle, path: measure.path.join(" "), clause: measure.text });
    const reply = await model.complete({ messages: [{ role: "user", content }], signal, maxTokens: 400 });
    for (const question of parseSuggestedQuestions(reply))
      rows.push({ id: randomUUID(), measure_id: measure.id, question, status: "pending", created_at: now(), created_by: actor, entry_id: null });
  }
  if (rows.length) await db.insertInto("library_suggestions").values(rows).execute();
  return rows;
}

export function pendingSuggestions(db: Kysely<LibrarySchema>, limit = 200) {
  return db.selectFrom("library_suggestions").selectAll().where("status", "=", "pending").orderBy("created_at", "desc").limit(limit).execute();
}

export function findSuggestion(db: Kysely<LibrarySchema>, id: string) {
  return db.selectFrom("library_suggestions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function decideSuggestion(db: Kysely<LibrarySchema>, id: string, status: "accepted" | "rejected", entryId?: string): Promise<void> {
  await db
    .updateTable("library_suggestions")
    .set({ status, entry_id: entryId ?? null })
    .where("id", "=", id)
    .execute();
}

/** "生成关联问题" is on when a model endpoint is configured and the prompt is in PROMPTS_DIR. */
export function suggestionWriter(config: Config): { model: ChatModel; prompt: string } | undefined {
  const { apiKey, baseURL, chatModel, timeoutMs } = config.openai;
  const prompt = loadSuggestionPrompt(config.promptsDir);
  if (!(apiKey || baseURL) || !prompt) return undefined;
  return { model: new ResilientChatModel(new OpenAIChatModel({ model: chatModel, apiKey, baseURL }), { timeoutMs }), prompt };
}
