import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { answerJson } from "../answer/answer-json.js";
import { type Config, loadConfig } from "../config.js";
import { createRuntime } from "../core/runtime.js";
import { createLogger } from "../logger.js";
import { scoreAnswers } from "./score.js";

interface Question {
  id: string;
  question: string;
  history?: string[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** `npm run eval`: scores the question sets and prints the speed figures the targets name. */
export async function runEval(config: Config, args: string[]): Promise<number> {
  const logger = createLogger("warn");
  const sets = args.filter((a) => a.endsWith(".jsonl"));
  if (!sets.length) {
    sets.push(resolve("eval/questions.jsonl"));
    if (existsSync(resolve("../shared/eval/dev.jsonl"))) sets.push(resolve("../shared/eval/dev.jsonl"));
  }
  const answersFlag = args.indexOf("--answers");
  const mode = answersFlag >= 0 ? args[answersFlag + 1] : undefined;
  const evalConfig = mode ? loadConfig({ ...process.env, ANSWERS: mode }) : config;

  // Rebuild from scratch to time it, then time a start on the built index.
  rmSync(evalConfig.indexDir, { recursive: true, force: true });
  let started = performance.now();
  await createRuntime(evalConfig, logger);
  const rebuildSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const runtime = await createRuntime(evalConfig, logger);
  await runtime.ask("我的企业能减免多少检测费？");
  const firstAnswerMs = performance.now() - started;

  let failed = false;
  for (const file of sets) {
    const questions = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Question);
    const answers = [];
    for (const q of questions)
      answers.push(
        answerJson(
          q.id,
          await runtime.ask(
            q.question,
            (q.history ?? []).map((question) => ({ question })),
          ),
        ),
      );
    const report = scoreAnswers(questions as never, answers);
    console.log(`\n${file}`);
    for (const line of report.lines) console.log(`  ${line}`);
    if (report.direct < questions.length) failed = true;
  }

  const retrievalMs: number[] = [];
  const answerMs: number[] = [];
  const probe = readFileSync(sets[0], "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as Question).question);
  for (let round = 0; round < 5; round++) {
    for (const question of probe) {
      let t = performance.now();
      await runtime.knowledgeBase.retriever.search({ text: question, regions: [], limit: 8 });
      retrievalMs.push(performance.now() - t);
      t = performance.now();
      await runtime.ask(question);
      answerMs.push(performance.now() - t);
    }
  }
  console.log("\nspeed (this machine):");
  console.log(`  index rebuild: ${rebuildSeconds.toFixed(2)} s (target < 5 s)`);
  console.log(`  start on built index + first answer: ${firstAnswerMs.toFixed(0)} ms (target < 1000 ms)`);
  console.log(`  retrieval p50 ${percentile(retrievalMs, 50).toFixed(2)} ms, p95 ${percentile(retrievalMs, 95).toFixed(2)} ms (target p95 < 20 ms)`);
  console.log(`  whole answer p50 ${percentile(answerMs, 50).toFixed(2)} ms, p95 ${percentile(answerMs, 95).toFixed(2)} ms`);
  return failed && args.includes("--strict") ? 1 : 0;
}
