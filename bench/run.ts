// `npm run bench`: corpus sizes in their own processes, then HTTP load on the seed; writes bench/results.json.
// `npm run bench -- 1000000` measures only the sizes named and puts their rows into the results already there.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { measureCluster } from "./cluster.js";
import { loadServers, startServer } from "./http-load.js";

const root = new URL("..", import.meta.url).pathname;
const sizes = (process.argv[2] ?? "180,10000,100000").split(",").map(Number);
const durationSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const CROWD = 200;

const results: Array<Record<string, number>> = [];
for (const size of sizes) {
  process.stderr.write(`measuring ${size} measures…\n`);
  const run = spawnSync(process.execPath, ["--max-old-space-size=16384", "--import", "tsx", "bench/size.ts", String(size)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`size ${size} failed: ${run.stderr}`);
  results.push({ targetMeasures: size, ...JSON.parse(run.stdout.trim().split("\n").at(-1)!) });
}

const resultsPath = `${root}bench/results.json`;
if (process.argv[2] && existsSync(resultsPath)) {
  const kept = JSON.parse(readFileSync(resultsPath, "utf8"));
  const named = new Set(sizes);
  kept.sizes = [...kept.sizes.filter((row: { targetMeasures?: number }) => !named.has(row.targetMeasures ?? -1)), ...results].sort(
    (a: { measures: number }, b: { measures: number }) => a.measures - b.measures,
  );
  writeFileSync(resultsPath, `${JSON.stringify(kept, null, 2)}\n`);
  console.table(results);
  process.exit(0);
}

process.stderr.write("ingest: PDF, Word, web pages and one scanned page…\n");
const ingestRun = spawnSync(process.execPath, ["--import", "tsx", "bench/ingest.ts"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
if (ingestRun.status !== 0) throw new Error(`ingest failed: ${ingestRun.stderr}`);
const ingest = JSON.parse(ingestRun.stdout.trim().split("\n").at(-1)!) as Array<Record<string, number | string>>;

process.stderr.write("analytics: 1,000,000 stored turns on SQLite and PostgreSQL…\n");
const analyticsRun = spawnSync(process.execPath, ["--import", "tsx", "bench/analytics.ts"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
if (analyticsRun.status !== 0) throw new Error(`analytics failed: ${analyticsRun.stderr}`);
const analytics = JSON.parse(analyticsRun.stdout.trim().split("\n").at(-1)!);

process.stderr.write("library: near-duplicate and related-question lookups at 1,000, 10,000 and 50,000 taught questions…\n");
const libraryRun = spawnSync(process.execPath, ["--import", "tsx", "bench/library.ts"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
if (libraryRun.status !== 0) throw new Error(`library failed: ${libraryRun.stderr}`);
const library = JSON.parse(libraryRun.stdout.trim().split("\n").at(-1)!);

process.stderr.write(`HTTP: 50 clients for ${durationSeconds} s on the seed…\n`);
const server = await startServer();
const single = await loadServers([server.port], durationSeconds, "SQLite");
// A crowd on the same instance: every answer slower, none lost (errors counts failures, non-2xx and timeouts).
process.stderr.write(`HTTP: ${CROWD} clients for ${durationSeconds} s on the same instance…\n`);
const crowd = await loadServers([server.port], durationSeconds, "SQLite", CROWD);
server.process.kill("SIGTERM");
// Half the time for the cluster run: it starts PostgreSQL and Redis too, and npm run bench should stay quick.
const clusterSeconds = Math.max(5, Math.round(durationSeconds / 2));
process.stderr.write(`HTTP: the same load for ${clusterSeconds} s over two instances on PostgreSQL + Redis…\n`);
const cluster = await measureCluster(clusterSeconds);
const http = {
  ...single,
  note: "p95Ms is autocannon's p97.5 (it reports no p95); cluster: two instances on one PostgreSQL and one Redis, all on the same 2 cores",
  cluster,
  crowd,
};

const fidelity = { measuredAt: new Date().toISOString().slice(0, 10), rows: await (await import("./fidelity.js")).measureFidelity() };
const output = {
  machine: "2 cores, Node 20, local embedder",
  measuredAt: new Date().toISOString().slice(0, 10),
  sizes: results,
  ingest,
  http,
  analytics,
  library,
  fidelity,
};
writeFileSync(resultsPath, `${JSON.stringify(output, null, 2)}\n`);
console.table(
  results.map(
    ({ measures, buildSeconds, startSeconds, indexMiB, rssMiB, retrievalP95Ms, answerP50Ms, answerP95Ms, answerP99Ms, annRecallAt10, publishOneSeconds }) => ({
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
      publishOneSeconds,
    }),
  ),
);
console.table("skipped" in cluster ? [single, crowd] : [single, crowd, cluster]);
console.table(ingest);
console.table(analytics.results);
console.table(library.rows);
