// Sanity sweep: every measure with a short heading, asked about by that heading, should be cited in the top five.
import pino from "pino";
import { createAsk } from "../src/core/ask.ts";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.ts";

const kb = await openKnowledgeBase({ seedsDir: "seeds", indexDir: "/tmp/sweep-index", logger: pino({ level: "silent" }) });
const ask = createAsk({ knowledgeBase: kb, today: () => "2026-11-27" });
let total = 0,
  top1 = 0,
  top5 = 0,
  refused = 0;
for (const m of kb.corpus.measures) {
  if (!m.heading) continue;
  total++;
  const doc = kb.documentOf(m);
  const place = doc.regionPath.length > 1 ? doc.region.replace(/市$/, "") : "";
  const answer = await ask(`${place}${m.heading}有什么规定？`);
  const ids = answer.citations.map((c) => c.measureId);
  if (answer.refused) {
    refused++;
    console.log("REFUSED", place + m.heading);
    continue;
  }
  if (ids[0] === m.id) top1++;
  if (ids.slice(0, 5).includes(m.id)) top5++;
  else console.log("MISS", place + m.heading, "→", answer.citations[0]?.path);
}
console.log({ total, top1, top5, refused });
