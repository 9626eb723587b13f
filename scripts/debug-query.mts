// Shows how questions are read and answered: `npx tsx scripts/debug-query.mts "问题" …`.
import { loadConfig } from "../src/config.ts";
import { createRuntime } from "../src/core/runtime.ts";
import { normalizeQuestion } from "../src/search/normalize.ts";
import { analyseQuery } from "../src/search/query.ts";

const runtime = await createRuntime(loadConfig({ ...process.env, LOG_LEVEL: "warn" }));
const { knowledgeBase } = runtime;
for (const question of process.argv.slice(2)) {
  const analysed = analyseQuery(normalizeQuestion(question), knowledgeBase.index.keywordIndex, knowledgeBase.lexicon);
  const concepts = analysed.concepts.map((c) => `${c.forms.join("/")}:${c.weight.toFixed(2)}${c.known ? "" : c.topical ? "!" : "?"}`);
  console.log(question, "→", analysed.text, concepts.join(" "), analysed.regions);
  const hits = await knowledgeBase.retriever.search({ text: analysed.text, regions: analysed.regions, limit: 5 });
  for (const hit of hits) {
    const text = knowledgeBase.measuresById.get(hit.measureId)?.text.slice(0, 50);
    console.log("  ", hit.score.toFixed(3), hit.coverage.toFixed(2), hit.keywordScore.toFixed(2), hit.vectorScore.toFixed(2), text);
  }
  const answer = await runtime.ask(question);
  console.log(answer.confidence, answer.evidence, answer.text.slice(0, 400));
}
