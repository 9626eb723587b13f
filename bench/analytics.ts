// `GET /api/analytics?days=30` over 1,000,000 stored turns, on SQLite and (when installed) PostgreSQL.
// Prints one JSON line; `--write` also puts it in bench/results.json as `analytics`, leaving the rest as it is.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { createHttpApp } from "../src/channels/http/app.js";
import { openKnowledgeBase } from "../src/search/open-knowledge-base.js";
import { openSqliteStore, openStore } from "../src/store/kysely-store.js";
import type { Store } from "../src/store/store.js";
import { rebuildTallies } from "../src/store/turn-stats.js";
import { missingServices, startPostgres } from "../test/services.js";

const TURNS = Number(process.env.BENCH_TURNS ?? 1_000_000);
/** Turns spread over this many days up to today; a 30-day window holds a sixth of them. */
const SPAN_DAYS = 180;
const REQUESTS = 20;
/** Which engines to measure: `BENCH_STORES=postgres` for one. */
const STORES = (process.env.BENCH_STORES ?? "sqlite,postgres").split(",");
const root = new URL("..", import.meta.url).pathname;
const logger = pino({ level: "silent" });
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const knowledgeBase = await openKnowledgeBase({ seedsDir: join(root, "seeds"), indexDir: join(tmpdir(), "relief-bench-analytics-index"), logger });
const measureIds = knowledgeBase.corpus.measures.map((m) => m.id);
const CHANNELS = ["web", "api", "slack", "wechaty", "wechat-mp", "wecom"];
const REASONS = ["no-match", "other-region", "personal-matter", "request-to-act"];
const now = Date.now();

/** Turn number `g` as the bench stores it: mostly answered, some low, a tenth refused, a few not-stated, library and rated. */
function turnRow(g: number) {
  const at = new Date(now - (g % SPAN_DAYS) * 86_400_000 - (g % 86_400) * 1000).toISOString();
  const refused = g % 10 === 0;
  const notStated = !refused && g % 25 === 1;
  const outcome = refused ? "refused" : notStated ? "answered" : g % 7 === 3 ? "low" : g % 20 === 2 ? "library" : "answered";
  const cited = refused ? [] : [measureIds[g % measureIds.length], measureIds[(g * 7) % measureIds.length]];
  return {
    id: `t${g}`,
    conversation_id: `c${Math.floor(g / 4)}`,
    channel: CHANNELS[g % CHANNELS.length],
    question: `问题${g}：检测费能减免多少？`,
    resolved_question: null,
    answer: refused ? "抱歉，知识库中没有找到与您的问题直接相关的政策条款。" : "根据文件，检验检测费用按30%-50%减免[1]。",
    refused: refused || notStated ? 1 : 0,
    mode: refused || notStated ? "refusal" : "extractive",
    citations: JSON.stringify(cited.map((measureId, i) => ({ marker: i + 1, kind: "measure", measureId, document: "文件", path: "一、" }))),
    prompt_version: null,
    library_entry_id: outcome === "library" ? `entry-${g % 50}` : null,
    outcome,
    refusal_reason: refused ? REASONS[g % REASONS.length] : notStated ? "not-stated" : null,
    confidence: refused ? "refuse" : outcome === "low" ? "low" : "answer",
    created_at: at,
  };
}

/** SQLite: one prepared statement in large transactions (better-sqlite3 is synchronous and fast at this). */
function fillSqlite(store: Store) {
  const db = store.sqlite!;
  const turn = db.prepare(`INSERT INTO turns (id, conversation_id, channel, question, resolved_question, answer, refused, mode, citations, prompt_version,
    library_entry_id, outcome, refusal_reason, confidence, created_at) VALUES (@id, @conversation_id, @channel, @question, @resolved_question, @answer,
    @refused, @mode, @citations, @prompt_version, @library_entry_id, @outcome, @refusal_reason, @confidence, @created_at)`);
  const conversation = db.prepare("INSERT INTO conversations (id, channel, created_at, updated_at) VALUES (?, ?, ?, ?)");
  const rating = db.prepare("INSERT INTO feedback (turn_id, rating, comment, client, created_at) VALUES (?, ?, NULL, ?, ?)");
  const batch = db.transaction((start: number, end: number) => {
    for (let g = start; g < end; g++) {
      const row = turnRow(g);
      if (g % 4 === 0) conversation.run(row.conversation_id, row.channel, row.created_at, row.created_at);
      turn.run(row);
      if (g % 20 === 5) rating.run(row.id, g % 3 === 0 ? "down" : "up", "bench", row.created_at);
    }
  });
  db.pragma("foreign_keys = OFF");
  for (let start = 0; start < TURNS; start += 100_000) batch(start, Math.min(TURNS, start + 100_000));
  db.pragma("foreign_keys = ON");
}

/** PostgreSQL: the same rows in slices of 5,000, sent as arrays and unnested by the server. */
async function fillPostgres(store: Store) {
  const columns = Object.keys(turnRow(0)) as Array<keyof ReturnType<typeof turnRow>>;
  for (let start = 0; start < TURNS; start += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, TURNS - start) }, (_, i) => turnRow(start + i));
    const conversations = rows.filter((_, i) => (start + i) % 4 === 0);
    await sql`INSERT INTO conversations (id, channel, created_at, updated_at)
      SELECT * FROM unnest(${conversations.map((r) => r.conversation_id)}::text[], ${conversations.map((r) => r.channel)}::text[],
        ${conversations.map((r) => r.created_at)}::text[], ${conversations.map((r) => r.created_at)}::text[])`.execute(store.db);
    const arrays = columns.map((c) => sql`${rows.map((r) => r[c])}::${sql.raw(c === "refused" ? "integer[]" : "text[]")}`);
    await sql`INSERT INTO turns (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(store.db);
    const rated = rows.filter((_, i) => (start + i) % 20 === 5);
    await sql`INSERT INTO feedback (turn_id, rating, client, created_at)
      SELECT * FROM unnest(${rated.map((r) => r.id)}::text[], ${rated.map((_, i) => (i % 3 === 0 ? "down" : "up"))}::text[],
        ${rated.map(() => "bench")}::text[], ${rated.map((r) => r.created_at)}::text[])`.execute(store.db);
  }
}

async function measure(label: string, store: Store, fill: (store: Store) => unknown) {
  await store.ready;
  process.stderr.write(`${label}: storing ${TURNS.toLocaleString()} turns…\n`);
  let t = performance.now();
  await fill(store);
  const insertSeconds = round((performance.now() - t) / 1000);
  t = performance.now();
  await rebuildTallies(store.db, store.dialect);
  const talliesSeconds = round((performance.now() - t) / 1000);
  if (store.dialect === "postgres") await sql`ANALYZE`.execute(store.db);
  const app = createHttpApp({
    ask: async () => {
      throw new Error("not asked in this bench");
    },
    knowledgeBase,
    store,
    today: () => new Date(now).toISOString().slice(0, 10),
    consoleHtml: "",
    exampleQuestions: () => [],
    rateLimitPerMinute: 1_000_000,
    now: () => now,
  });
  const local = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
  const times: number[] = [];
  let body: { totals: { questions: number } } | undefined;
  for (let i = 0; i <= REQUESTS; i++) {
    const started = performance.now();
    const response = await app.request("/api/analytics?days=30", {}, local);
    body = await response.json();
    if (response.status !== 200) throw new Error(`${label}: ${response.status} ${JSON.stringify(body)}`);
    if (i > 0) times.push(performance.now() - started);
  }
  const turns = Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM turns`.execute(store.db)).rows[0].n);
  const result = {
    store: label,
    turns,
    turnsInWindow: body!.totals.questions,
    insertSeconds,
    talliesSeconds,
    analyticsP50Ms: round(percentile(times, 50)),
    analyticsP95Ms: round(percentile(times, 95)),
    analyticsMaxMs: round(Math.max(...times)),
  };
  process.stderr.write(`${JSON.stringify(result)}\n`);
  return result;
}

const results: Array<{ store: string } & Record<string, unknown>> = [];
if (STORES.includes("sqlite")) {
  const file = join(tmpdir(), `relief-bench-analytics-${process.pid}.sqlite`);
  rmSync(file, { force: true });
  const sqlite = openSqliteStore(file);
  results.push(await measure("SQLite", sqlite, fillSqlite));
  await sqlite.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}

const missing = missingServices();
if (!STORES.includes("postgres")) {
  // measured alone, or not asked for
} else if (missing) results.push({ store: "PostgreSQL", skipped: missing });
else {
  const server = await startPostgres();
  try {
    const store = await openStore({ dialect: "postgres", url: await server.createDatabase() }, { logger });
    results.push(await measure("PostgreSQL", store, fillPostgres));
    await store.close();
  } finally {
    server.destroy();
  }
}

const row = {
  note: `GET /api/analytics?days=30 after ${TURNS.toLocaleString("en")} turns over ${SPAN_DAYS} days (5% rated), ${REQUESTS} requests after one warm-up; read from the daily tallies`,
  results,
};
if (process.argv.includes("--write")) {
  const path = join(root, "bench/results.json");
  const current = JSON.parse(readFileSync(path, "utf8"));
  // Measured one engine at a time, the other engine's earlier figures stay.
  const kept = (current.analytics?.results ?? []).filter((r: { store: string }) => !results.some((n) => n.store === r.store));
  writeFileSync(path, `${JSON.stringify({ ...current, analytics: { ...row, results: [...results, ...kept] } }, null, 2)}\n`);
}
console.log(JSON.stringify(row));
