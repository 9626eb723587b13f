import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../corpus/load-corpus.js";
import { KeywordIndex } from "./keyword-index.js";
import { LocalEmbedder } from "./local-embedder.js";
import { analyseInParallel } from "./parallel-analysis.js";

const seed = readFileSync(new URL("../../seeds/000_1a5470b786594f12.txt", import.meta.url), "utf8");

describe("a large build's analysis on several threads", () => {
  it("makes the keyword index, the idf and every vector of a build on one thread, bit for bit", async () => {
    const texts = buildCorpus([{ name: "seed.txt", text: seed }]).measures.map((m) => m.text);
    const alone = KeywordIndex.build(texts).data;
    const embedder = LocalEmbedder.fit(texts);
    const vectors = await embedder.embed(texts);

    const parallel = await analyseInParallel(texts, 3);

    expect(parallel.keywordIndex.data.terms).toEqual(alone.terms);
    for (const name of ["offsets", "postingDocs", "postingFreqs", "docLengths"] as const)
      expect(Buffer.from(parallel.keywordIndex.data[name].buffer).equals(Buffer.from(alone[name].buffer))).toBe(true);
    expect(Buffer.from(parallel.embedder.idf.buffer).equals(Buffer.from(embedder.idf.buffer))).toBe(true);
    expect(parallel.vectors).toHaveLength(texts.length);
    for (const [i, vector] of parallel.vectors.entries()) expect(Array.from(vector)).toEqual(Array.from(vectors[i]));
  });
});
