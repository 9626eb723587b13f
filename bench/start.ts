// A serving process on an already built index: `tsx bench/start.ts SEEDS_DIR INDEX_DIR QUESTIONS_JSON`.
// Times the start and the answers, checks the places of regional answers, and reports its own peak RSS:
// the memory a server answering from this index needs.
import { readFileSync } from "node:fs";
import pino from "pino";
import { createAsk } from "../src/core/ask.js";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";

interface Questions {
  questions: string[];
  regional: Array<{ question: string; region: string; phrase: string }>;
}

const [seedsDir, indexDir, questionsPath] = process.argv.slice(2);
const { questions, regional } = JSON.parse(readFileSync(questionsPath, "utf8")) as Questions;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

const started = performance.now();
const knowledgeBase = await openKnowledgeBase({ seedsDir, indexDir, logger: pino({ level: "silent" }) });
const loaded = performance.now();
const ask = createAsk({ knowledgeBase, today: () => "2026-11-27" });
await ask("我的企业能减免多少检测费？");
const answered = performance.now();

const retrievalMs: number[] = [];
const answerMs: number[] = [];
// CPU time per answer as well: on a machine shared with other work, wall time measures the neighbours too.
const answerCpuMs: number[] = [];
for (let pass = 0; pass < 3; pass++) {
  for (const question of questions) {
    let s = performance.now();
    await knowledgeBase.retriever.search({ text: question, regions: [], limit: 8 });
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
  const first = (await ask(question)).citations[0];
  if (first && first.region === region && first.text.includes(phrase)) regionHits++;
}

console.log(
  JSON.stringify({
    loadSeconds: round((loaded - started) / 1000),
    firstAnswerSeconds: round((answered - started) / 1000),
    servingRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    retrievalP50Ms: round(percentile(retrievalMs, 50)),
    retrievalP95Ms: round(percentile(retrievalMs, 95)),
    retrievalP99Ms: round(percentile(retrievalMs, 99)),
    answerP50Ms: round(percentile(answerMs, 50)),
    answerP95Ms: round(percentile(answerMs, 95)),
    answerP99Ms: round(percentile(answerMs, 99)),
    answerCpuP50Ms: round(percentile(answerCpuMs, 50)),
    answerCpuP95Ms: round(percentile(answerCpuMs, 95)),
    regionHit1: round(regionHits / Math.max(1, regional.length), 3),
    regionQuestions: regional.length,
  }),
);
