// One corpus size, measured in its own process so its peak RSS is its own. Prints one JSON line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createAsk } from "../src/core/ask.js";
import { buildCorpus, loadSeedFiles } from "../src/corpus/load-corpus.js";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";
import { plan, regionQuestions, reissue } from "./generate.js";

const target = Number(process.argv[2] ?? 180);
const root = new URL("..", import.meta.url).pathname;
const seed = readFileSync(join(root, "seeds/000_1a5470b786594f12.txt"), "utf8");
const work = join(tmpdir(), `relief-bench-${target}`);
const seedsDir = join(work, "seeds");
const indexDir = join(work, "index");
rmSync(work, { recursive: true, force: true });
mkdirSync(seedsDir, { recursive: true });
const issues = plan(target);
writeFileSync(join(seedsDir, "000_seed.txt"), seed);
for (const [i, issue] of issues.entries()) writeFileSync(join(seedsDir, `gen_${String(i).padStart(5, "0")}.txt`), reissue(seed, issue));

const logger = pino({ level: "silent" });
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

// Ingest: parse only.
const t = performance.now();
const files = loadSeedFiles(seedsDir);
const corpus = buildCorpus(files);
const ingestSeconds = (performance.now() - t) / 1000;
const pages = files.reduce((sum, f) => sum + (f.text.match(/^# Page/gm)?.length ?? 0), 0);

// Build (parse + index) from nothing in a process of its own, so its peak RSS is the build's.
const built = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench/build.ts"), seedsDir, indexDir], { cwd: root, encoding: "utf8" });
const { buildSeconds, rssMiB: buildRssMiB } = JSON.parse(built.stdout.trim()) as { buildSeconds: number; rssMiB: number };
const indexBytes = readdirSync(indexDir).reduce((sum, f) => sum + statSync(join(indexDir, f)).size, 0);
// A start is timed in a fresh process, as a restarted server would be.
const started = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench/start.ts"), seedsDir, indexDir], { cwd: root, encoding: "utf8" });
const startSeconds = (JSON.parse(started.stdout.trim()) as { firstAnswerSeconds: number }).firstAnswerSeconds;
const kb = await openKnowledgeBase({ seedsDir, indexDir, logger });
const ask = createAsk({ knowledgeBase: kb, today: () => "2026-11-27" });

const evalQuestions = readFileSync(join(root, "eval/questions.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l).question as string);
const regional = regionQuestions(issues);
const questions = [...evalQuestions, ...regional.map((r) => r.question)];
const retrievalMs: number[] = [];
const answerMs: number[] = [];
// CPU time per answer as well: on a machine shared with other work, wall time measures the neighbours too.
const answerCpuMs: number[] = [];
for (let pass = 0; pass < 3; pass++) {
  for (const question of questions) {
    let s = performance.now();
    await kb.retriever.search({ text: question, regions: [], limit: 8 });
    retrievalMs.push(performance.now() - s);
    s = performance.now();
    const cpu = process.cpuUsage();
    await ask(question);
    answerMs.push(performance.now() - s);
    const used = process.cpuUsage(cpu);
    answerCpuMs.push((used.user + used.system) / 1000);
  }
}

// Region: the first citation of a question that names a place comes from that place.
let regionHits = 0;
for (const { question, region, phrase } of regional) {
  const answer = await ask(question);
  const first = answer.citations[0];
  if (first && first.region === region && first.text.includes(phrase)) regionHits++;
}

// ANN quality: hnswlib's top 10 against exact cosine over every stored vector.
const { vectorIndex, embedder } = kb.index;
const count = vectorIndex.size;
const dimension = vectorIndex.dimension;
const all = new Float32Array(count * dimension);
for (let i = 0; i < count; i++) all.set(vectorIndex.point(i), i * dimension);
const probes = [...questions.slice(0, 100), ...Array.from({ length: 100 }, (_, i) => corpus.measures[(i * 7919) % corpus.measures.length].text.slice(0, 60))];
let found = 0;
for (const probe of probes) {
  const [q] = await embedder.embed([probe]);
  const exact = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let dot = 0;
    for (let d = 0, o = i * dimension; d < dimension; d++) dot += q[d] * all[o + d];
    exact[i] = dot;
  }
  const truth = [...exact.keys()].sort((a, b) => exact[b] - exact[a]).slice(0, 10);
  // Re-issued copies make exact ties; any neighbour as near as the tenth true one counts as found.
  const tenth = exact[truth[truth.length - 1]] - 1e-5;
  found += Math.min(10, vectorIndex.search(q, 10).filter((h) => exact[h.doc] >= tenth).length);
}

console.log(
  JSON.stringify({
    measures: corpus.measures.length,
    documents: corpus.documents.length,
    pages,
    ingestPagesPerSecond: round(pages / ingestSeconds, 0),
    ingestMeasuresPerSecond: round(corpus.measures.length / ingestSeconds, 0),
    buildSeconds: round(buildSeconds),
    startSeconds: round(startSeconds),
    indexMiB: round(indexBytes / 2 ** 20, 1),
    rssMiB: Math.max(buildRssMiB, round(process.resourceUsage().maxRSS / 1024, 0)),
    buildRssMiB,
    // This process also holds every vector again for the exact-search comparison.
    serveAndMeasureRssMiB: round(process.resourceUsage().maxRSS / 1024, 0),
    retrievalP50Ms: round(percentile(retrievalMs, 50)),
    retrievalP95Ms: round(percentile(retrievalMs, 95)),
    retrievalP99Ms: round(percentile(retrievalMs, 99)),
    answerP50Ms: round(percentile(answerMs, 50)),
    answerP95Ms: round(percentile(answerMs, 95)),
    answerP99Ms: round(percentile(answerMs, 99)),
    answerCpuP50Ms: round(percentile(answerCpuMs, 50)),
    answerCpuP95Ms: round(percentile(answerCpuMs, 95)),
    annRecallAt10: round(found / (probes.length * 10), 3),
    regionHit1: round(regionHits / regional.length, 3),
    regionQuestions: regional.length,
  }),
);
if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
