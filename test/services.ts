import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * Real PostgreSQL 15 and Redis 7 servers for the tests, from Debian's packages
 * (`.ci/run` installs postgresql-15 and redis-server). Each server listens on
 * loopback only, on a free port, with its data in a temporary folder; nothing
 * is persisted. Tests that restart or stop one start their own.
 */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const REDIS_BIN = process.env.REDIS_BIN ?? "/usr/bin/redis-server";

/** Why the servers cannot be started here, or undefined when they can. */
export function missingServices(): string | undefined {
  const missing = [];
  if (!existsSync(join(PG_BIN, "pg_ctl"))) missing.push(`PostgreSQL 15 (${PG_BIN}/pg_ctl; apt-get install postgresql-15)`);
  if (!existsSync(REDIS_BIN)) missing.push(`Redis (${REDIS_BIN}; apt-get install redis-server)`);
  return missing.length ? `not installed: ${missing.join(", ")}` : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root (CI) it runs as the `postgres` user the package creates. */
const asRoot = process.getuid?.() === 0;
function runAsServerUser(command: string, args: string[]): string[] {
  return asRoot ? ["runuser", "-u", "postgres", "--", command, ...args] : [command, ...args];
}

function run(command: string, args: string[]): string {
  const [program, ...rest] = runAsServerUser(command, args);
  return execFileSync(program, rest, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The same without blocking this process: load keeps flowing while the server restarts. */
async function runAsync(command: string, args: string[]): Promise<void> {
  const [program, ...rest] = runAsServerUser(command, args);
  await promisify(execFile)(program, rest);
}

export interface PostgresServer {
  port: number;
  /** A connection URL for `database` (default `postgres`). */
  url(database?: string): string;
  /** A new empty database, for one test file or case. */
  createDatabase(prefix?: string): Promise<string>;
  /** A fast shutdown (clients cut, committed data kept) and a start on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

export async function startPostgres(): Promise<PostgresServer> {
  const folder = mkdtempSync(join(tmpdir(), "relief-pg-"));
  const data = join(folder, "data");
  if (asRoot)
    chownSync(
      folder,
      Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
      Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
    );
  const port = await freePort();
  run(join(PG_BIN, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"]);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const pgArgs = (action: string, extra: string[] = []) => ["-D", data, "-l", join(folder, "log"), "-o", options, "-w", "-t", "30", ...extra, action];
  const pgCtl = (action: string, extra: string[] = []) => run(join(PG_BIN, "pg_ctl"), pgArgs(action, extra));
  const pgCtlAsync = (action: string, extra: string[] = []) => runAsync(join(PG_BIN, "pg_ctl"), pgArgs(action, extra));
  pgCtl("start");
  let databases = 0;
  const server: PostgresServer = {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(prefix = "test") {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return server.url(name);
    },
    restart: () => pgCtlAsync("restart", ["-m", "fast"]),
    stop: () => pgCtlAsync("stop", ["-m", "fast"]),
    start: () => pgCtlAsync("start"),
    destroy() {
      try {
        pgCtl("stop", ["-m", "immediate"]);
      } catch {
        // already stopped
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return server;
}

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

export const temporaryFolder = () => mkdtempSync(join(tmpdir(), "relief-"));

/** Polls `condition` every 25 ms until it holds, up to `timeoutMs`; throws naming `what` otherwise. */
export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(REDIS_BIN, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmpdir()], { stdio: "ignore" });
      await waitFor("redis to answer", () => answersPing(port));
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
  };
  await server.start();
  process.once("exit", () => child?.kill("SIGKILL"));
  return server;
}
