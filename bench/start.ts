// A serving process on an already built index: `tsx bench/start.ts SEEDS_DIR INDEX_DIR QUESTIONS_JSON`.
// Times the start and the answers, checks the places of regional answers, and reports its own peak RSS:
// the memory a server answering from this index needs.
import { readFileSync } from "node:fs";
import pino from "pino";
import { createAsk, warmUp } from "../src/core/ask.js";
import { seedPart, withPublished } from "../src/corpus/published-corpus.js";
import { openKnowledgeBase, updatedKnowledgeBase } from "../src/search/open-knowledge-base.js";

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
// As the server does once its knowledge base is open (core/runtime.ts).
warmUp(knowledgeBase);
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

// Publishing one document in place: a copy of the last document, uploaded with a clause changed, until the
// knowledge base that answers from it is ready to swap in. Then the same document replaced by a second version.
const template = knowledgeBase.corpus.documents.at(-1)!;
const clauses = knowledgeBase.corpus.measures.filter((m) => m.documentId === template.id);
const upload = (version: number) => {
  const document = { ...template, id: `upload-${template.id}`, version };
  const measures = clauses.map((m, i) => ({
    ...m,
    id: `${document.id}-${i}`,
    documentId: document.id,
    text: i === 0 ? `${m.text}（第${version}版）` : m.text,
  }));
  return withPublished(seedPart(knowledgeBase.corpus), { documents: [document], measures });
};
let s = performance.now();
const added = await updatedKnowledgeBase(knowledgeBase, upload(1), {});
const publishOneSeconds = (performance.now() - s) / 1000;
s = performance.now();
const replaced = added && (await updatedKnowledgeBase(added, upload(2), {}));
const replaceOneSeconds = (performance.now() - s) / 1000;
if (!added || !replaced) throw new Error("publishing one document did not go in place");

console.log(
  JSON.stringify({
    publishOneSeconds: round(publishOneSeconds),
    replaceOneSeconds: round(replaceOneSeconds),
    publishedClauses: clauses.length,
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
