// What the local vectors add: the question sets scored with and without them.
import { readFileSync } from "node:fs";
import pino from "pino";
import { answerJson } from "../src/answer/answer-json.ts";
import { createAsk } from "../src/core/ask.ts";
import { buildCorpus, loadSeedFiles } from "../src/corpus/load-corpus.ts";
import { scoreAnswers } from "../src/eval/score.ts";
import { knowledgeBaseFromCorpus } from "../src/search/open-knowledge-base.ts";

const corpus = buildCorpus(loadSeedFiles("seeds"));
const sets = ["eval/questions.jsonl", "../shared/eval/dev.jsonl"];
for (const vectorWeight of [0, 0.25, 0.5]) {
  const kb = await knowledgeBaseFromCorpus(corpus, { indexDir: `/tmp/ablation-index`, logger: pino({ level: "silent" }), vectorWeight });
  const ask = createAsk({ knowledgeBase: kb, today: () => "2026-11-27" });
  for (const file of sets) {
    const questions = readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const answers = [];
    for (const q of questions)
      answers.push(
        answerJson(
          q.id,
          await ask(
            q.question,
            (q.history ?? []).map((question: string) => ({ question })),
          ),
        ),
      );
    console.log(`vectorWeight ${vectorWeight} ${file}: ${scoreAnswers(questions, answers).lines.slice(0, 2).join("; ")}`);
  }
}
