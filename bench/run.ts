// `npm run bench`: corpus sizes in their own processes, then HTTP load on the seed; writes bench/results.json.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";

const root = new URL("..", import.meta.url).pathname;
const sizes = (process.argv[2] ?? "180,10000,100000").split(",").map(Number);
const durationSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? 20);

const results: Array<Record<string, number>> = [];
for (const size of sizes) {
  process.stderr.write(`measuring ${size} measures…\n`);
  const run = spawnSync(process.execPath, ["--import", "tsx", "bench/size.ts", String(size)], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`size ${size} failed: ${run.stderr}`);
  results.push(JSON.parse(run.stdout.trim().split("\n").at(-1)!));
}

process.stderr.write("ingest: PDF, Word, web pages and one scanned page…\n");
const ingestRun = spawnSync(process.execPath, ["--import", "tsx", "bench/ingest.ts"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
if (ingestRun.status !== 0) throw new Error(`ingest failed: ${ingestRun.stderr}`);
const ingest = JSON.parse(ingestRun.stdout.trim().split("\n").at(-1)!) as Array<Record<string, number | string>>;

process.stderr.write(`HTTP: 50 clients for ${durationSeconds} s on the seed…\n`);
const server = spawn(process.execPath, ["--import", "tsx", "bench/http-server.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise<number>((resolve) => server.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim()))));
const questions = readFileSync(`${root}eval/questions.jsonl`, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l).question as string);
let next = 0;
const load = await autocannon({
  url: `http://127.0.0.1:${port}/api/ask`,
  connections: 50,
  duration: durationSeconds,
  method: "POST",
  headers: { "content-type": "application/json" },
  requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ question: questions[next++ % questions.length] }) }) }],
});
server.kill("SIGTERM");
const http = {
  rps: Math.round(load.requests.average),
  p50Ms: load.latency.p50,
  p95Ms: (load.latency as unknown as Record<string, number>).p97_5 ?? load.latency.p99,
  p99Ms: load.latency.p99,
  errors: load.errors + load.non2xx + load.timeouts,
  requests: load.requests.total,
  note: "p95Ms is autocannon's p97.5 (it reports no p95)",
};

const output = { machine: "2 cores, Node 20, local embedder", measuredAt: new Date().toISOString().slice(0, 10), sizes: results, ingest, http };
writeFileSync(`${root}bench/results.json`, `${JSON.stringify(output, null, 2)}\n`);
console.table(
  results.map(
    ({ measures, buildSeconds, startSeconds, indexMiB, rssMiB, retrievalP95Ms, answerP50Ms, answerP95Ms, answerP99Ms, annRecallAt10, regionHit1 }) => ({
      measures,
      buildSeconds,
      startSeconds,
      indexMiB,
      rssMiB,
      retrievalP95Ms,
      answerP50Ms,
      answerP95Ms,
      answerP99Ms,
      annRecallAt10,
      regionHit1,
    }),
  ),
);
console.table([http]);
console.table(ingest);
