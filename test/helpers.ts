import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createAsk } from "../src/core/ask.js";
import { type KnowledgeBase, openKnowledgeBase } from "../src/search/open-knowledge-base.js";

export const SEEDS_DIR = new URL("../seeds", import.meta.url).pathname;
export const silentLogger = pino({ level: "silent" });
export const TODAY = "2026-11-27";

export function temporaryDirectory(prefix = "relief-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let shared: Promise<KnowledgeBase> | undefined;

/** The real knowledge base on the real seed, built once per test file into a temporary folder. */
/**
 * The folders and date a test runtime reads, each its own under `dir`: never the working copy's data/documents or
 * embeddings/, which a console upload or an index build there would change under the tests.
 */
export function testSettings(dir: string): Record<string, string> {
  return { SEEDS_DIR, INDEX_DIR: `${dir}/index`, DOCUMENTS_DIR: `${dir}/documents`, AS_OF_DATE: TODAY };
}

export function seedKnowledgeBase(): Promise<KnowledgeBase> {
  shared ??= openKnowledgeBase({ seedsDir: SEEDS_DIR, indexDir: temporaryDirectory(), logger: silentLogger });
  return shared;
}

export async function seedAsk(today = TODAY) {
  return createAsk({ knowledgeBase: await seedKnowledgeBase(), today: () => today });
}
