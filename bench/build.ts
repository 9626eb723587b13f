// Builds the index for a seeds folder in its own process and prints its time and peak RSS.
import pino from "pino";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";

const [seedsDir, indexDir] = process.argv.slice(2);
const started = performance.now();
await openKnowledgeBase({ seedsDir, indexDir, logger: pino({ level: "silent" }) });
console.log(
  JSON.stringify({ buildSeconds: Number(((performance.now() - started) / 1000).toFixed(2)), rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
