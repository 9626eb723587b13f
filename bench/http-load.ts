// HTTP load for `npm run bench`: API servers in their own processes (bench/http-server.ts), the clients spread over them.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const root = new URL("..", import.meta.url).pathname;

export interface HttpResult {
  instances: number;
  store: string;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** The slowest answer: a client that starves shows here long before it shows in p99. */
  maxMs: number;
  errors: number;
  requests: number;
  clients: number;
}

/** Starts one API server on the seed with `env` (DATABASE_URL, REDIS_URL…); resolves with its port. */
export async function startServer(env: Record<string, string> = {}): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/http-server.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, process: child };
}

/** `clients` connections for `seconds`, split evenly over the ports, each POSTing the project's questions in turn. */
export async function loadServers(ports: number[], seconds: number, store: string, clients = 50): Promise<HttpResult> {
  const questions = readFileSync(`${root}eval/questions.jsonl`, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l).question as string);
  let next = 0;
  const runs = await Promise.all(
    ports.map((port) =>
      autocannon({
        url: `http://127.0.0.1:${port}/api/ask`,
        connections: Math.round(clients / ports.length),
        duration: seconds,
        method: "POST",
        headers: { "content-type": "application/json" },
        requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ question: questions[next++ % questions.length] }) }) }],
      }),
    ),
  );
  const p975 = (run: Awaited<ReturnType<typeof autocannon>>) => (run.latency as unknown as Record<string, number>).p97_5 ?? run.latency.p99;
  return {
    instances: ports.length,
    store,
    rps: Math.round(runs.reduce((sum, run) => sum + run.requests.average, 0)),
    // Latencies: the worse instance's, so a slow one is not averaged away.
    p50Ms: Math.max(...runs.map((run) => run.latency.p50)),
    p95Ms: Math.max(...runs.map(p975)),
    p99Ms: Math.max(...runs.map((run) => run.latency.p99)),
    maxMs: Math.max(...runs.map((run) => run.latency.max)),
    // autocannon counts a timeout in `errors` as well as in `timeouts`: each failed request once.
    errors: runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0),
    requests: runs.reduce((sum, run) => sum + run.requests.total, 0),
    clients,
  };
}
