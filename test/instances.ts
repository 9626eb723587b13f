import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";
import { postSignedBySlack } from "./fake-slack.js";
import { freePort, waitFor } from "./services.js";

const ROOT = new URL("..", import.meta.url).pathname;
export const STAFF_TOKEN = "staff-token-for-tests";
export const SLACK_SECRET = "slack-signing-secret";

/** The index built once, before the instances start, so they do not race to build it in the same folder. */
export async function prebuiltIndex(): Promise<string> {
  const indexDir = mkdtempSync(join(tmpdir(), "relief-index-"));
  await openKnowledgeBase({ seedsDir: join(ROOT, "seeds"), indexDir, logger: pino({ level: "silent" }) });
  return indexDir;
}

/** One `npm start` (or `npm run slack`) process: its own port, the shared PostgreSQL and Redis. */
export interface Instance {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything it wrote to stderr (JSON log lines). */
  logs: string[];
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing cleaned up. */
  kill(): Promise<void>;
}

export async function startInstance(name: string, env: Record<string, string>, command: "serve" | "slack" = "serve"): Promise<Instance> {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), `relief-${name}-`));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", command], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SEEDS_DIR: join(ROOT, "seeds"),
      DATABASE_PATH: join(data, "unused.sqlite"),
      DOCUMENTS_DIR: join(data, "documents"),
      AS_OF_DATE: "2026-11-27",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      SLACK_HOST: "127.0.0.1",
      ADMIN_TOKEN: STAFF_TOKEN,
      TRUST_PROXY: "true",
      ...(command === "serve" ? { PORT: String(port) } : { SLACK_PORT: String(port) }),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const logs: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => logs.push(...chunk.split("\n").filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const up = async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${logs.slice(-5).join("\n")}`);
    try {
      const response = await fetch(command === "serve" ? `${url}/readyz` : `${url}/slack/events`, { signal: AbortSignal.timeout(1_000) });
      return command === "serve" ? response.status === 200 : true;
    } catch {
      return false;
    }
  };
  await waitFor(`${name} to be ready`, up, 60_000);
  const instance: Instance = {
    name,
    port,
    url,
    process: child,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  process.once("exit", () => child.kill("SIGKILL"));
  return instance;
}

/** A JSON request to an instance, as a client behind the reverse proxy (X-Forwarded-For) and, when `staff`, with the staff token. */
export async function call(
  instance: Instance,
  path: string,
  { body, client = "198.51.100.1", staff = false }: { body?: unknown; client?: string; staff?: boolean } = {},
) {
  const response = await fetch(instance.url + path, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": client,
      ...(staff ? { authorization: `Bearer ${STAFF_TOKEN}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, json, headers: response.headers };
}

/** A Slack event as Slack signs and sends it; `retry` adds the headers of Slack's retries. */
export function slackEvent(instance: Instance, eventId: string, event: Record<string, unknown>, retry?: number) {
  const body = JSON.stringify({ token: "t", team_id: "T1", api_app_id: "A1", type: "event_callback", event_id: eventId, event_time: 1, event });
  return postSignedBySlack(`${instance.url}/slack/events`, SLACK_SECRET, body, {
    headers: retry ? { "x-slack-retry-num": String(retry), "x-slack-retry-reason": "http_timeout" } : {},
  });
}
