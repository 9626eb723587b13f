// Prints how well the top clauses cover for every question of the given sets, answerable and not, to calibrate MIN_COVERAGE.
import { readFileSync } from "node:fs";
import { loadConfig } from "../src/config.ts";
import { resolveFollowUp } from "../src/conversation/follow-up.ts";
import { answerability } from "../src/core/ask.ts";
import { createRuntime } from "../src/core/runtime.ts";

const rt = await createRuntime(loadConfig({ ...process.env, LOG_LEVEL: "warn" }));
const rows: Array<[number, string, string]> = [];
for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const q = JSON.parse(line);
    const resolved = resolveFollowUp(
      q.question,
      (q.history ?? []).map((question: string) => ({ question })),
    );
    const hits = await rt.knowledgeBase.retriever.search({ text: resolved.text, regions: [], limit: 8 });
    rows.push([answerability(hits), q.expect, q.question]);
  }
}
for (const [c, e, q] of rows.sort((a, b) => a[0] - b[0])) console.log(c.toFixed(3), e.padEnd(7), q);
