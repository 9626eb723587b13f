// Times a start on an already built index: `tsx bench/start.ts SEEDS_DIR INDEX_DIR`.
import pino from "pino";
import { createAsk } from "../src/core/ask.js";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";

const [seedsDir, indexDir] = process.argv.slice(2);
const started = performance.now();
const knowledgeBase = await openKnowledgeBase({ seedsDir, indexDir, logger: pino({ level: "silent" }) });
const loaded = performance.now();
await createAsk({ knowledgeBase, today: () => "2026-11-27" })("我的企业能减免多少检测费？");
const answered = performance.now();
console.log(
  JSON.stringify({ loadSeconds: Number(((loaded - started) / 1000).toFixed(2)), firstAnswerSeconds: Number(((answered - started) / 1000).toFixed(2)) }),
);
