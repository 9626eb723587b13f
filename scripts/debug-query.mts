import { loadConfig } from "../src/config.ts";
import { createRuntime } from "../src/core/runtime.ts";
import { analyseQuery } from "../src/search/query.ts";

const rt = await createRuntime(loadConfig({ ...process.env, LOG_LEVEL: "warn" }));
for (const q of process.argv.slice(2)) {
  const a = analyseQuery(q, rt.knowledgeBase.index.keywordIndex);
  console.log(q, a.concepts.map((c) => `${c.forms.join("/")}:${c.weight.toFixed(2)}`).join(" "), a.regions);
  const hits = await rt.knowledgeBase.retriever.search({ text: q, regions: a.regions, limit: 5 });
  for (const h of hits)
    console.log(
      "  ",
      h.score.toFixed(3),
      h.coverage.toFixed(2),
      h.keywordScore.toFixed(2),
      h.vectorScore.toFixed(2),
      rt.knowledgeBase.measuresById.get(h.measureId)!.text.slice(0, 50),
    );
  const ans = await rt.ask(q);
  console.log(ans.text.slice(0, 400));
}
