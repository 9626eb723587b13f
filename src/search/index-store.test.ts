import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { type KnowledgeBase, openKnowledgeBase } from "../search/open-knowledge-base.js";
import { checksum, checksumOfFile, localEmbedderFactory, openIndex } from "./index-store.js";
import { LOCAL_EMBEDDER_VERSION } from "./local-embedder.js";

const corpus = buildCorpus(loadSeedFiles(SEEDS_DIR));
const options = (directory: string) => ({
  directory,
  corpus,
  embedderFactory: localEmbedderFactory,
  embedderId: `${LOCAL_EMBEDDER_VERSION}-384`,
  logger: silentLogger,
});

describe("index persistence", () => {
  it("builds with a manifest, then reuses it", async () => {
    const directory = temporaryDirectory();
    const first = await openIndex(options(directory));
    expect(first.rebuilt).toBe("no index yet");
    const manifest = JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ embedder: `${LOCAL_EMBEDDER_VERSION}-384`, dimension: 384, corpusHash: corpus.hash, measures: 180 });
    expect(manifest.builtAt).toMatch(/^\d{4}-/);
    const second = await openIndex(options(directory));
    expect(second.rebuilt).toBeUndefined();
    expect(second.keywordIndex.size).toBe(180);
    expect(second.vectorIndex.size).toBe(180);
  });

  it("rebuilds when the seeds or the embedder change", async () => {
    const directory = temporaryDirectory();
    await openIndex(options(directory));
    const changed = { ...corpus, hash: "different" };
    expect((await openIndex({ ...options(directory), corpus: changed })).rebuilt).toBe("the seeds changed");
    expect((await openIndex({ ...options(directory), corpus: changed, embedderId: "other" })).rebuilt).toMatch(/embedder changed/);
  });

  it("rebuilds a corrupt index and says why", async () => {
    const directory = temporaryDirectory();
    await openIndex(options(directory));
    writeFileSync(join(directory, "keyword-postingDocs.bin"), Buffer.from([1, 2, 3]));
    const repaired = await openIndex(options(directory));
    expect(repaired.rebuilt).toMatch(/unreadable/);
    expect(existsSync(join(directory, "manifest.json"))).toBe(true);
    writeFileSync(join(directory, "manifest.json"), "{not json");
    expect((await openIndex(options(directory))).rebuilt).toMatch(/unreadable/);
  });
});

/** A logger that keeps what it is given, so a test can read the warnings. */
function recordingLogger() {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => records.push(JSON.parse(line)) });
  return { logger, warnings: () => records.filter((record) => record.level === 40) };
}

const QUESTIONS = readFileSync(new URL("../../eval/questions.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line).question as string);

async function answersOf(knowledgeBase: KnowledgeBase): Promise<string[]> {
  const ask = createAsk({ knowledgeBase, today: () => TODAY });
  const texts: string[] = [];
  for (const question of QUESTIONS) texts.push((await ask(question)).text);
  return texts;
}

const open = (indexDir: string, logger = silentLogger) => openKnowledgeBase({ seedsDir: SEEDS_DIR, indexDir, logger });

/** Every file a start reads from the index folder, the saved parse included. */
const INDEX_FILES = [
  "vectors.hnsw",
  "vector-points.bin",
  "keyword-terms.json",
  "keyword-offsets.bin",
  "keyword-postingDocs.bin",
  "keyword-postingFreqs.bin",
  "keyword-docLengths.bin",
  "embedder-idf.bin",
  "corpus.v8",
];

describe("index checksums", () => {
  let cleanAnswers: string[];
  beforeAll(async () => {
    cleanAnswers = await answersOf(await open(temporaryDirectory()));
  });

  it("records a checksum of every file beside the manifest", async () => {
    const directory = temporaryDirectory();
    await open(directory);
    const { checksums } = JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8"));
    const files = readdirSync(directory).filter((file) => file !== "manifest.json");
    expect(files.sort()).toEqual([...INDEX_FILES].sort());
    for (const file of files) expect(checksums[file], file).toBe(checksum(readFileSync(join(directory, file))));
  });

  it.each(INDEX_FILES)("a byte flipped in the middle of %s: the next start repairs it, names it in a warning, and answers as a clean build", async (file) => {
    const directory = temporaryDirectory();
    await open(directory);
    const path = join(directory, file);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x5a;
    writeFileSync(path, bytes);

    const { logger, warnings } = recordingLogger();
    const reopened = await open(directory, logger);
    expect(warnings()).toContainEqual(expect.objectContaining({ file, reason: expect.stringMatching(new RegExp(`${file}.*checksum`)) }));
    if (file !== "corpus.v8") expect(reopened.index.rebuilt).toMatch(file);
    expect(await answersOf(reopened)).toEqual(cleanAnswers);

    // The repair was saved: the start after it finds nothing wrong.
    const after = recordingLogger();
    const third = await open(directory, after.logger);
    expect(after.warnings().filter((warning) => warning.file)).toEqual([]);
    expect(third.index.rebuilt).toBeUndefined();
  });

  it("catches random bytes of the same size in a keyword file, which parse as a valid index", async () => {
    const directory = temporaryDirectory();
    await open(directory);
    const path = join(directory, "keyword-postingDocs.bin");
    writeFileSync(path, randomBytes(readFileSync(path).byteLength));
    const { logger, warnings } = recordingLogger();
    const reopened = await open(directory, logger);
    expect(reopened.index.rebuilt).toMatch(/keyword-postingDocs\.bin: checksum mismatch/);
    expect(warnings()).toContainEqual(expect.objectContaining({ file: "keyword-postingDocs.bin" }));
    expect(await answersOf(reopened)).toEqual(cleanAnswers);
  });

  it("checks the vectors without a preload too, before hnswlib reads them", async () => {
    const directory = temporaryDirectory();
    await openIndex(options(directory));
    const path = join(directory, "vectors.hnsw");
    writeFileSync(path, randomBytes(readFileSync(path).byteLength));
    expect((await openIndex(options(directory))).rebuilt).toMatch(/vectors\.hnsw: checksum mismatch/);
  });

  it("hashes a file larger than its read buffer to the digest of its whole content", () => {
    const path = join(temporaryDirectory(), "large.bin");
    const bytes = randomBytes(20 * 2 ** 20);
    writeFileSync(path, bytes);
    expect(checksumOfFile(path)).toBe(checksum(bytes));
  });
});
