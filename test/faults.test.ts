import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Instance, prebuiltIndex, startInstance } from "./instances.js";
import { missingServices, type PostgresServer, type RedisServer, startPostgres, startRedis, waitFor } from "./services.js";

const missing = missingServices();

const QUESTIONS = ["公司刻章备案要多长时间？", "个体工商户歇业最长能保留多久？", "我的企业能减免多少检测费？", "上海市对餐饮企业有没有房租减免？"];

interface Outcome {
  kind: "ask" | "feedback";
  instance: string;
  status: number | "no-connection";
  stored?: boolean;
  answerId?: string;
}

/**
 * A bounded load: `total` asks spread over the instances, `concurrency` at a
 * time, each stored answer rated down at once. `during` runs once `startAfter`
 * asks have finished. Every outcome is kept for the checks.
 */
async function load(
  instances: Instance[],
  { total, concurrency = 4, startAfter, during }: { total: number; concurrency?: number; startAfter: number; during: () => Promise<void> },
) {
  const outcomes: Outcome[] = [];
  let next = 0;
  let finished = 0;
  let fault: Promise<void> | undefined;
  async function worker() {
    while (next < total) {
      const i = next++;
      const instance = instances[i % instances.length];
      const client = `198.18.${Math.floor(i / 200)}.${i % 200}`;
      try {
        const asked = await call(instance, "/api/ask", { body: { question: QUESTIONS[i % QUESTIONS.length] }, client });
        outcomes.push({
          kind: "ask",
          instance: instance.name,
          status: asked.status,
          stored: asked.json.stored as boolean,
          answerId: asked.json.answerId as string,
        });
        if (asked.json.stored) {
          const rated = await call(instance, "/api/feedback", { body: { answerId: asked.json.answerId, rating: "down" }, client });
          outcomes.push({ kind: "feedback", instance: instance.name, status: rated.status, answerId: asked.json.answerId as string });
        }
      } catch {
        outcomes.push({ kind: "ask", instance: instance.name, status: "no-connection" });
      }
      if (++finished === startAfter) fault = during();
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  await fault;
  return outcomes;
}

describe.skipIf(!!missing)("faults: two instances while PostgreSQL restarts, Redis stops, an instance is killed", () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let databaseUrl: string;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const [pgServer, redisServer, indexDir] = await Promise.all([startPostgres(), startRedis(), prebuiltIndex()]);
    [postgres, redis] = [pgServer, redisServer];
    databaseUrl = await postgres.createDatabase("faults");
    const env = { INDEX_DIR: indexDir, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: "100000", DATABASE_TIMEOUT_MS: "2000" };
    [a, b] = await Promise.all([startInstance("a", env), startInstance("b", env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    postgres?.destroy();
  });

  async function storedIds(table: "turns" | "feedback"): Promise<Set<string>> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const column = table === "turns" ? "id" : "turn_id";
    const { rows } = await client.query(`SELECT ${column} AS id FROM ${table}`);
    await client.end();
    return new Set(rows.map((r) => String(r.id)));
  }

  it("PostgreSQL restarted mid-load: answers keep flowing, failures are clear 503s, no acknowledged write is lost, both recover by themselves", async () => {
    const outcomes = await load([a, b], { total: 160, startAfter: 40, during: () => postgres.restart() });
    const asks = outcomes.filter((o) => o.kind === "ask");
    const ratings = outcomes.filter((o) => o.kind === "feedback");
    // Every question was answered; some answers may say they were not stored.
    expect(asks.every((o) => o.status === 200)).toBe(true);
    // A rating is stored (200) or refused with a clear 503, never anything else.
    expect(ratings.every((o) => o.status === 200 || o.status === 503)).toBe(true);
    const turns = await storedIds("turns");
    const feedback = await storedIds("feedback");
    const acknowledgedTurns = asks.filter((o) => o.stored).map((o) => o.answerId!);
    const acknowledgedRatings = ratings.filter((o) => o.status === 200).map((o) => o.answerId!);
    expect(acknowledgedTurns.filter((id) => !turns.has(id))).toEqual([]);
    expect(acknowledgedRatings.filter((id) => !feedback.has(id))).toEqual([]);
    process.stdout.write(
      `PostgreSQL restart under load: ${asks.length} asks answered, ${acknowledgedTurns.length} stored, ${asks.length - acknowledgedTurns.length} not stored; ` +
        `${acknowledgedRatings.length} ratings stored, ${ratings.filter((o) => o.status === 503).length} refused with 503\n`,
    );
    // The restart did reach the instances: their connections were cut and the operations retried.
    expect([...a.logs, ...b.logs].some((line) => /database (unreachable|connection lost)/.test(line))).toBe(true);
    for (const instance of [a, b]) {
      await waitFor(
        `${instance.name} to store again`,
        async () => (await call(instance, "/api/ask", { body: { question: QUESTIONS[0] }, client: "198.19.0.1" })).json.stored === true,
      );
      await waitFor(`${instance.name} to report ready`, async () => (await call(instance, "/readyz")).json.status === "ready");
    }
  });

  it("Redis stopped mid-load and started again: every question is answered; /readyz says degraded, then ready", async () => {
    let degradedSeen = false;
    const outcomes = await load([a, b], {
      total: 120,
      startAfter: 30,
      during: async () => {
        await redis.stop();
        await waitFor("an instance to report Redis down", async () => (await call(a, "/readyz")).json.status === "degraded");
        degradedSeen = true;
        // The load goes on without Redis for a while; then it comes back.
        await waitFor("more answers without Redis", async () => (await call(b, "/api/ask", { body: { question: QUESTIONS[1] } })).status === 200);
        await redis.start();
      },
    });
    expect(degradedSeen).toBe(true);
    expect(outcomes.filter((o) => o.kind === "ask").every((o) => o.status === 200)).toBe(true);
    for (const instance of [a, b]) {
      await waitFor(`${instance.name} to reconnect to Redis`, async () => (await call(instance, "/readyz")).json.status === "ready", 15_000);
    }
  });

  it("an instance killed with SIGKILL mid-load: the other keeps serving every request sent to it", async () => {
    const outcomes = await load([a, b], { total: 120, startAfter: 30, during: () => a.kill() });
    const onB = outcomes.filter((o) => o.instance === "b" && o.kind === "ask");
    expect(onB.length).toBeGreaterThan(50);
    expect(onB.every((o) => o.status === 200 && o.stored)).toBe(true);
    // Requests to the killed instance fail to connect (a load balancer would send them to B).
    expect(outcomes.some((o) => o.instance === "a" && o.status === "no-connection")).toBe(true);
    expect((await call(b, "/readyz")).json.status).toBe("ready");
  });
});
