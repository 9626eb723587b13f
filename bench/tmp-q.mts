import { seedKnowledgeBase } from "../test/helpers.js";
import { analyseQuery } from "../src/search/query.js";
const kb = await seedKnowledgeBase();
for (const q of process.argv.slice(2)) {
  const a = analyseQuery(q, kb.index.keywordIndex, kb.lexicon);
  console.log(q, JSON.stringify(a.concepts.map((c) => [c.forms.slice(0, 4).join("/"), +c.weight.toFixed(2)])));
}
