import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEEDS_DIR, silentLogger, temporaryDirectory } from "../../test/helpers.js";
import { buildCorpus, loadSeedFiles } from "../corpus/load-corpus.js";
import { localEmbedderFactory, openIndex } from "./index-store.js";
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
