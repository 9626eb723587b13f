import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { answerJson } from "../answer/answer-json.js";
import { type Config, loadConfig } from "../config.js";
import { createRuntime } from "../core/runtime.js";
import { applyLibraryFile } from "../library/library-file.js";
import { QuestionLibrary } from "../library/question-library.js";
import { createLogger } from "../logger.js";
import { beneficiaryCoverage, coverageLine } from "../match/index.js";
import type { Answer } from "../types.js";
import { calibrationReport, type EvalQuestion } from "./categories.js";
import { scoreAnswers } from "./score.js";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const readQuestions = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);

/** The sets scored by default: the project's own (and its held-out-style set), and the shared dev sets when they are beside the project. */
function defaultSets(): string[] {
  const sets = [resolve("eval/questions.jsonl")];
  // The held-out sets, each written from the seed before the mechanism it tests was built.
  if (existsSync(resolve("eval"))) {
    for (const file of readdirSync(resolve("eval")).sort()) if (/^heldout-.*\.jsonl$/.test(file)) sets.push(resolve("eval", file));
  }
  for (const name of ["dev.jsonl", "dev2.jsonl", "dev3.jsonl"]) if (existsSync(resolve("../shared/eval", name))) sets.push(resolve("../shared/eval", name));
  return sets;
}

/**
 * `npm run eval`: scores the question sets with per-category figures and the
 * refusal calibration, and prints the speed figures the targets name.
 * `--calibrate` also prints each question's answerability evidence, sorted,
 * to set the thresholds in answer/answerability.ts.
 */
export async function runEval(config: Config, args: string[]): Promise<number> {
  const logger = createLogger("warn");
  const libraryAt = args.indexOf("--library");
  const libraryFile = libraryAt >= 0 ? args[libraryAt + 1] : undefined;
  const sets = args.filter((a, i) => a.endsWith(".jsonl") && (libraryAt < 0 || i !== libraryAt + 1));
  if (!sets.length) sets.push(...defaultSets());
  const answersFlag = args.indexOf("--answers");
  const mode = answersFlag >= 0 ? args[answersFlag + 1] : undefined;
  const evalConfig = mode ? loadConfig({ ...process.env, ANSWERS: mode }) : config;

  // Time a rebuild from scratch in a folder of its own (the real index folder holds tracked files), then a start on it.
  const scratch = mkdtempSync(join(tmpdir(), "relief-eval-"));
  const timedConfig = { ...evalConfig, indexDir: scratch };
  let started = performance.now();
  await createRuntime(timedConfig, logger);
  const rebuildSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  // `--library FILE` answers with a question library (the export format) applied, as staff would have taught it.
  const library = libraryFile ? await QuestionLibrary.open({ sqlite: new Database(":memory:") }) : undefined;
  const runtime = await createRuntime(timedConfig, logger, { library });
  await runtime.ask("我的企业能减免多少检测费？");
  const firstAnswerMs = performance.now() - started;
  if (library && libraryFile) {
    const applied = await applyLibraryFile(library, resolve(libraryFile), runtime.knowledgeBase, "eval");
    console.log(`question library ${libraryFile}: ${applied.created + applied.updated} entries applied`);
  }

  let failed = false;
  const calibration: string[] = [];
  for (const file of sets) {
    const questions = readQuestions(file);
    const answers: Answer[] = [];
    for (const q of questions)
      answers.push(
        await runtime.ask(
          q.question,
          (q.history ?? []).map((question) => ({ question })),
        ),
      );
    const report = scoreAnswers(
      questions,
      questions.map((q, i) => answerJson(q.id, answers[i])),
    );
    console.log(`\n${file}`);
    for (const line of report.lines) console.log(`  ${line}`);
    const outcomes = questions.map((question, i) => ({ question, answer: answers[i], direct: report.directIds.has(question.id) }));
    for (const line of calibrationReport(outcomes)) console.log(`  ${line}`);
    if (report.direct < questions.length) failed = true;
    questions.forEach((q, i) => {
      const e = answers[i].evidence;
      if (e)
        calibration.push(
          `${e.share.toFixed(2)} ${e.evidence.toFixed(1).padStart(5)} ${q.expect.padEnd(7)} ${answers[i].refusal?.reason ?? answers[i].confidence} ${q.id} ${q.question.slice(0, 30)}`,
        );
    });
  }
  console.log(`\n${coverageLine(beneficiaryCoverage(runtime.knowledgeBase))}`);
  if (args.includes("--calibrate")) {
    console.log("\nanswerability evidence (share, evidence, expected, decision), by share:");
    for (const line of calibration.sort()) console.log(`  ${line}`);
  }

  const retrievalMs: number[] = [];
  const answerMs: number[] = [];
  const probe = readQuestions(sets[0]).map((q) => q.question);
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
