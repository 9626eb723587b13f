// One corpus size, measured in processes of its own so each peak RSS is its own. Prints one JSON line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { buildCorpus, loadSeedFiles } from "../src/corpus/load-corpus.js";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";
import { distinctTextRatio, generateCompilation, plan, prepareSource, regionQuestions } from "./generate.js";

const target = Number(process.argv[2] ?? 180);
const root = new URL("..", import.meta.url).pathname;
const seed = readFileSync(join(root, "seeds/000_1a5470b786594f12.txt"), "utf8");
const work = join(tmpdir(), `relief-bench-${target}`);
const seedsDir = join(work, "seeds");
const indexDir = join(work, "index");
rmSync(work, { recursive: true, force: true });
mkdirSync(seedsDir, { recursive: true });
const issues = plan(target);
const source = prepareSource(seed, join(root, "src/search/thesaurus"));
writeFileSync(join(seedsDir, "000_seed.txt"), seed);
for (const [i, issue] of issues.entries()) writeFileSync(join(seedsDir, `gen_${String(i).padStart(5, "0")}.txt`), generateCompilation(source, issue));

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const run = (script: string, ...args: string[]) => {
  const child = spawnSync(process.execPath, ["--max-old-space-size=16384", "--import", "tsx", join(root, script), ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!);
};

// Ingest: parse only.
const t = performance.now();
const files = loadSeedFiles(seedsDir);
let corpus = buildCorpus(files);
const ingestSeconds = (performance.now() - t) / 1000;
const pages = files.reduce((sum, f) => sum + (f.text.match(/^# Page/gm)?.length ?? 0), 0);
files.length = 0;
const measures = corpus.measures.length;
const documents = corpus.documents.length;
const distinct = distinctTextRatio(corpus.measures.map((m) => m.text));
// Questions that name a place whose clause the generator kept there (a replaced clause is a different measure).
const regional = regionQuestions(issues).filter(({ region, phrase }) => {
  const ids = new Set(corpus.documents.filter((d) => d.region === region).map((d) => d.id));
  return corpus.measures.some((m) => ids.has(m.documentId) && m.text.includes(phrase));
});
const evalQuestions = readFileSync(join(root, "eval/questions.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l).question as string);
const questions = [...evalQuestions, ...regional.map((r) => r.question)];
const questionsPath = join(work, "questions.json");
writeFileSync(questionsPath, JSON.stringify({ questions, regional }));
const probeTexts = Array.from({ length: 100 }, (_, i) => corpus.measures[(i * 7919) % measures].text.slice(0, 60));
corpus = undefined as never;

// Build (parse + index) from nothing in a process of its own, so its peak RSS is the build's.
const { buildSeconds, rssMiB: buildRssMiB } = run("bench/build.ts", seedsDir, indexDir) as { buildSeconds: number; rssMiB: number };
const indexBytes = readdirSync(indexDir).reduce((sum, f) => sum + statSync(join(indexDir, f)).size, 0);
// A server's start and answers, in a fresh process as a restarted server would be: its peak RSS is what serving needs.
const serving = run("bench/start.ts", seedsDir, indexDir, questionsPath) as Record<string, number>;

// ANN quality: hnswlib's top 10 against exact cosine over every stored vector, in this process.
const kb = await openKnowledgeBase({ seedsDir, indexDir, logger: pino({ level: "silent" }) });
const { vectorIndex, embedder } = kb.index;
const count = vectorIndex.size;
const dimension = vectorIndex.dimension;
const all = new Float32Array(count * dimension);
for (let i = 0; i < count; i++) all.set(vectorIndex.point(i), i * dimension);
const probes = [...questions.slice(0, 100), ...probeTexts];
const exact = new Float32Array(count);
let found = 0;
for (const probe of probes) {
  const [q] = await embedder.embed([probe]);
  const dims: number[] = [];
  for (let d = 0; d < dimension; d++) if (q[d] !== 0) dims.push(d);
  for (let i = 0, o = 0; i < count; i++, o += dimension) {
    let dot = 0;
    for (const d of dims) dot += q[d] * all[o + d];
    exact[i] = dot;
  }
  let tenth = Number.POSITIVE_INFINITY;
  {
    // The tenth largest similarity, by a partial selection: a full sort of a million is slow.
    const top: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = exact[i];
      if (top.length < 10) {
        top.push(s);
        top.sort((a, b) => b - a);
      } else if (s > top[9]) {
        top[9] = s;
        top.sort((a, b) => b - a);
      }
    }
    tenth = top[Math.min(9, top.length - 1)];
  }
  // Exact ties (a clause kept word for word) count: any neighbour as near as the tenth true one is found.
  found += Math.min(10, vectorIndex.search(q, 10).filter((h) => exact[h.doc] >= tenth - 1e-5).length);
}

console.log(
  JSON.stringify({
    measures,
    documents,
    pages,
    distinctTextRatio: round(distinct, 3),
    ingestPagesPerSecond: round(pages / ingestSeconds, 0),
    ingestMeasuresPerSecond: round(measures / ingestSeconds, 0),
    buildSeconds: round(buildSeconds),
    startSeconds: serving.firstAnswerSeconds,
    indexMiB: round(indexBytes / 2 ** 20, 1),
    rssMiB: serving.servingRssMiB,
    buildRssMiB,
    retrievalP50Ms: serving.retrievalP50Ms,
    retrievalP95Ms: serving.retrievalP95Ms,
    retrievalP99Ms: serving.retrievalP99Ms,
    answerP50Ms: serving.answerP50Ms,
    answerP95Ms: serving.answerP95Ms,
    answerP99Ms: serving.answerP99Ms,
    answerCpuP50Ms: serving.answerCpuP50Ms,
    answerCpuP95Ms: serving.answerCpuP95Ms,
    annRecallAt10: round(found / (probes.length * 10), 3),
    publishOneSeconds: serving.publishOneSeconds,
    replaceOneSeconds: serving.replaceOneSeconds,
    publishedClauses: serving.publishedClauses,
    vectorPoints: vectorIndex.points,
    regionHit1: serving.regionHit1,
    regionQuestions: serving.regionQuestions,
  }),
);
if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
