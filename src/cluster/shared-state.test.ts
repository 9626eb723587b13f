import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingServices, type PostgresServer, type RedisServer, startPostgres, startRedis, temporaryFolder, waitFor } from "../../test/services.js";
import { openStore } from "../store/kysely-store.js";
import type { Store } from "../store/store.js";
import { type Change, type ChangeFeed, openChangeFeed } from "./change-feed.js";
import { connectRedis, type RedisLink } from "./redis.js";
import { redisState, type SharedState } from "./shared-state.js";

const missing = missingServices();

describe.skipIf(!!missing)("shared state in a real Redis (two links stand for two instances)", () => {
  let redis: RedisServer;
  let links: RedisLink[] = [];
  let a: SharedState;
  let b: SharedState;
  beforeAll(async () => {
    redis = await startRedis();
    links = [0, 1].map(() => connectRedis({ url: redis.url, prefix: "test:" }));
    [a, b] = links.map(redisState);
    await waitFor("both links ready", () => links.every((l) => l.up));
  });
  afterAll(async () => {
    await Promise.all(links.map((l) => l.close()));
    await redis?.stop();
  });

  it("a rate limit spent on one instance holds on the other", async () => {
    const [onA, onB] = [a.rateLimiter("http", 3), b.rateLimiter("http", 3)];
    expect((await onA("10.0.0.1")).ok).toBe(true);
    expect((await onA("10.0.0.1")).ok).toBe(true);
    expect((await onB("10.0.0.1")).ok).toBe(true);
    const refused = await onB("10.0.0.1");
    expect(refused).toMatchObject({ ok: false });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await onA("10.0.0.2")).ok).toBe(true);
  });

  it("a delivery claimed on one instance is a repeat on the other", async () => {
    expect(await a.once("slack-events", 60_000)("Ev1")).toBe(true);
    expect(await b.once("slack-events", 60_000)("Ev1")).toBe(false);
    expect(await b.once("slack-events", 60_000)("Ev2")).toBe(true);
  });

  it("a WeChat contact's conversation continues on the other instance, and 重新开始 there ends it everywhere", async () => {
    const now = Date.now;
    const first = await a.conversations("mp", { idleMs: 60_000, now }).idFor("gh:u1");
    expect(await b.conversations("mp", { idleMs: 60_000, now }).idFor("gh:u1")).toBe(first);
    await b.conversations("mp", { idleMs: 60_000, now }).reset("gh:u1");
    expect(await a.conversations("mp", { idleMs: 60_000, now }).idFor("gh:u1")).not.toBe(first);
  });

  it("while Redis is down every piece answers from the per-instance fallback, health says so; back, they share again", async () => {
    const limit = a.rateLimiter("down", 2);
    const once = a.once("down", 60_000);
    await redis.stop();
    try {
      await waitFor("the link to notice", () => !links[0].up);
      expect((await limit("k")).ok).toBe(true);
      expect((await limit("k")).ok).toBe(true);
      // The insurance limiter holds the same limit on this instance.
      expect((await limit("k")).ok).toBe(false);
      expect(await once("E")).toBe(true);
      expect(await once("E")).toBe(false);
      expect(typeof (await a.conversations("mp", { idleMs: 60_000, now: Date.now }).idFor("u"))).toBe("string");
      expect(a.health()).toMatchObject({ ok: false, mode: "redis", connected: false });
      expect(a.health().fallbacks).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    await waitFor("both links to reconnect", () => links.every((l) => l.up), 15_000);
    expect(a.health()).toMatchObject({ ok: true, connected: true });
    expect(await a.once("after", 60_000)("E")).toBe(true);
    expect(await b.once("after", 60_000)("E")).toBe(false);
  });
});

describe.skipIf(!!missing)("ChangeFeed: every instance hears of a change", () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  const opened: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  });
  afterAll(async () => {
    for (const thing of opened.reverse()) await thing.close();
    await redis?.stop();
    postgres?.destroy();
  });

  async function twoInstances(transport: "redis" | "postgres" | "sqlite") {
    const target =
      transport === "sqlite"
        ? { dialect: "sqlite" as const, path: `${temporaryFolder()}/shared.sqlite` }
        : { dialect: "postgres" as const, url: await postgres.createDatabase() };
    const prefix = `feed${Date.now()}:`;
    const feeds: ChangeFeed[] = [];
    const received: Change[][] = [[], []];
    for (const index of [0, 1]) {
      const store: Store = await openStore(target);
      const link = transport === "redis" ? connectRedis({ url: redis.url, prefix }) : undefined;
      if (link) await waitFor("redis", () => link.up);
      const feed = await openChangeFeed({ db: store.db, redis: link, postgresUrl: transport === "postgres" ? target.url : undefined, checkIntervalMs: 60_000 });
      feed.subscribe((change) => void received[index].push(change));
      feeds.push(feed);
      opened.push(store, feed, ...(link ? [link] : []));
    }
    return { feeds, received };
  }

  /** Publishes on the first instance and returns how long the second took to hear of it. */
  async function delay(feeds: ChangeFeed[], id: string): Promise<number> {
    let unsubscribe: () => void = () => undefined;
    const arrived = new Promise<number>((resolve) => {
      unsubscribe = feeds[1].subscribe((change) => void (change.id === id && resolve(performance.now())));
    });
    const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`${id} did not arrive within 5 s`)), 5_000).unref());
    const started = performance.now();
    await feeds[0].publish("library", id);
    const at = await Promise.race([arrived, timeout]);
    unsubscribe();
    return at - started;
  }

  it("over Redis pub/sub, within milliseconds; the publisher is not told of its own change", async () => {
    const { feeds, received } = await twoInstances("redis");
    expect(feeds[1].transport).toBe("redis");
    // The subscription is asynchronous: wait until a first notice arrives before timing.
    await waitFor("the subscription", async () => {
      await feeds[0].publish("warmup", "w");
      return received[1].some((c) => c.kind === "warmup");
    });
    const delays = [];
    for (let i = 0; i < 5; i++) delays.push(await delay(feeds, `entry-${i}`));
    process.stdout.write(`change notice delay over Redis: ${delays.map((d) => d.toFixed(1)).join(", ")} ms\n`);
    expect(Math.max(...delays)).toBeLessThan(1_000);
    expect(received[0].filter((c) => c.kind === "library")).toEqual([]);
    expect(received[1].filter((c) => c.kind === "library").map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("over PostgreSQL NOTIFY when there is no Redis", async () => {
    const { feeds, received } = await twoInstances("postgres");
    expect(feeds[1].transport).toBe("postgres");
    await waitFor("the listener", async () => {
      await feeds[0].publish("warmup", "w");
      return received[1].some((c) => c.kind === "warmup");
    });
    const measured = await delay(feeds, "doc-1");
    process.stdout.write(`change notice delay over PostgreSQL NOTIFY: ${measured.toFixed(1)} ms\n`);
    expect(measured).toBeLessThan(1_000);
  });

  it("a notice lost (Redis down while publishing) is caught by the periodic version check", async () => {
    const { feeds, received } = await twoInstances("redis");
    await redis.stop();
    try {
      await feeds[0].publish("document", "doc-9");
      await feeds[0].publish("document", "doc-10");
    } finally {
      await redis.start();
    }
    expect(received[1]).toEqual([]);
    await feeds[1].check();
    // Two missed versions arrive as one change naming the latest.
    expect(received[1]).toEqual([{ kind: "document", id: "doc-10", version: 2 }]);
    await feeds[1].check();
    expect(received[1]).toHaveLength(1);
  });

  it("on one SQLite file (npm start beside npm run slack), the check alone carries changes", async () => {
    const { feeds, received } = await twoInstances("sqlite");
    expect(feeds[0].transport).toBe("poll");
    await feeds[0].publish("library", "e1");
    await feeds[1].check();
    expect(received[1]).toEqual([{ kind: "library", id: "e1", version: 1 }]);
  });
});
