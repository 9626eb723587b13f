// Per-lookup CPU of the question library's two indexes at 1,000, 10,000 and 50,000 taught questions.
// Prints one JSON line; `--write` also puts it in bench/results.json as `library`, leaving the rest as it is.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCorpus, loadSeedFiles } from "../src/corpus/load-corpus.js";
import gazetteer from "../src/corpus/regions.json" with { type: "json" };
import { NearDuplicateIndex } from "../src/library/near-duplicates.js";
import { RelatedQuestionIndex } from "../src/library/related-questions.js";

const SIZES = (process.env.BENCH_LIBRARY_SIZES ?? "1000,10000,50000").split(",").map(Number);
/** Each question is looked up this many times at each size, so a neighbour's burst on a shared machine does not decide a mean. */
const PASSES = 5;
const root = new URL("..", import.meta.url).pathname;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

/** A fixed-seed generator, so every run teaches the same library. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAMES = [
  "怎么办理？",
  "有什么优惠？",
  "需要多长时间？",
  "能减免吗？",
  "是什么标准？",
  "要交哪些材料？",
  "吗？",
  "怎么申请？",
  "有补贴吗？",
  "要多少钱？",
  "",
  "是怎么规定的？",
];
const OPENINGS = ["", "", "", "请问", "我想问一下，", "企业", "个体户"];
const COMMON = ["企业怎么办理？", "请问有什么优惠政策吗", "个体户要交哪些材料？", "企业服务怎么申请补贴", "市场主体办理需要多长时间", "怎么办"];

/**
 * Questions worded from the seed's clauses: one or two of their phrases, now and then a place, in a
 * question's frame. Imports are written by staff from the same documents, so their words are the
 * clauses' words: the common bigrams (企业, 办理, 服务) are in thousands of entries, as in a real import.
 */
function questionMaker(seed: number): () => string {
  const measures = buildCorpus(loadSeedFiles(join(root, "seeds"))).measures;
  const phrases = measures
    .flatMap((m) => m.text.split(/[，。；：、！？\s（）()“”《》「」]+/))
    .filter((p) => p.length >= 4 && p.length <= 18 && (p.match(/[\u3400-\u9fff]/g)?.length ?? 0) >= p.length * 0.7);
  const places = gazetteer.provinces.flatMap((p) => [p.aliases[0] ?? p.name, ...p.cities.map((c) => c.name)]);
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  return () => {
    const place = next() < 0.25 ? `在${pick(places)}，` : "";
    const second = next() < 0.3 ? `，${pick(phrases)}` : "";
    return `${place}${pick(OPENINGS)}${pick(phrases)}${second}${pick(FRAMES)}`;
  };
}

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const makeQuestion = questionMaker(23);
const evalQuestions = readFileSync(join(root, "eval/questions.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line).question as string);
// Each size is a library of its own, the smaller ones the first entries of the larger: the same questions, more of them.
const taught = Array.from({ length: Math.max(...SIZES) }, makeQuestion);
const libraries = SIZES.map((size) => {
  const nearDuplicates = new NearDuplicateIndex();
  const related = new RelatedQuestionIndex();
  const teachSeconds =
    cpuMs(() => {
      for (const [i, question] of taught.slice(0, size).entries()) {
        nearDuplicates.put(`e${i}`, question);
        related.put(`e${i}`, question, [`m${i % 997}`]);
      }
    }) / 1000;
  // Questions no one taught (the eval set) and reworded taught ones, so both the miss and the hit are timed, and a few of
  // only common words: the slowest kind, every list they have is long.
  const reworded = evalQuestions.map((_, i) => taught[(i * 7919) % size].replace(/？$/, "呢"));
  return {
    size,
    nearDuplicates,
    related,
    teachSeconds,
    questions: [...evalQuestions, ...reworded, ...COMMON],
    nearMs: [] as number[],
    relatedMs: [] as number[],
  };
});
// One warm-up pass: the first lookups load jieba's dictionary and compile the code.
for (const library of libraries)
  for (const question of library.questions) {
    library.nearDuplicates.find(question);
    library.related.search(question);
  }
// The sizes take turns question by question, so a neighbour's load on this shared machine falls on each alike.
for (let pass = 0; pass < PASSES; pass++)
  for (let i = 0; i < libraries[0].questions.length; i++)
    for (const library of libraries) {
      const question = library.questions[i];
      library.nearMs.push(cpuMs(() => library.nearDuplicates.find(question)));
      library.relatedMs.push(cpuMs(() => library.related.search(question)));
    }
const mean = (values: number[]) => values.reduce((sum, x) => sum + x, 0) / values.length;
const rows = libraries.map(({ size, teachSeconds, nearMs, relatedMs }) => ({
  entries: size,
  teachSeconds: round(teachSeconds, 1),
  nearDuplicateCpuMs: round(mean(nearMs), 3),
  nearDuplicateCpuP95Ms: round(percentile(nearMs, 95), 3),
  relatedCpuMs: round(mean(relatedMs), 3),
  relatedCpuP95Ms: round(percentile(relatedMs, 95), 3),
  lookupCpuMs: round(mean(nearMs) + mean(relatedMs), 3),
}));
for (const row of rows) process.stderr.write(`${JSON.stringify(row)}\n`);

const row = {
  measuredAt: new Date().toISOString().slice(0, 10),
  note: `CPU time of one near-duplicate find and one related-question search (what every answer does), mean over ${PASSES} passes of ${evalQuestions.length} eval questions, as many reworded taught ones and ${COMMON.length} of only common words, after a warm-up, the sizes taking turns; taught questions worded from the seed's clauses with a fixed seed`,
  rows,
  lookupCpuLargestOverSmallest: round(rows.at(-1)!.lookupCpuMs / rows[0].lookupCpuMs),
};
if (process.argv.includes("--write")) {
  const path = join(root, "bench/results.json");
  const current = JSON.parse(readFileSync(path, "utf8"));
  writeFileSync(path, `${JSON.stringify({ ...current, library: row }, null, 2)}\n`);
}
console.log(JSON.stringify(row));
