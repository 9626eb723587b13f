import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../../../test/helpers.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { answers } from "../../../store/__fixtures__/log-contract.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { from, testApp } from "../__fixtures__/test-app.js";

const LOCAL = from("127.0.0.1");
const NOW = Date.parse("2026-11-27T12:00:00.000Z");
let knowledgeBase: KnowledgeBase;

beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

describe("GET /api/analytics", () => {
  it("answers the last N days from the stored turns: per day and channel, outcomes, reasons, measures asked and never asked, ratings", async () => {
    const [first, second] = knowledgeBase.corpus.measures;
    let clock = "2026-11-20T09:00:00.000Z";
    const store = openSqliteStore(":memory:", undefined, () => clock);
    await store.ready;
    const { app } = testApp({ store, knowledgeBase, now: () => NOW });
    await store.recordTurn({ channel: "web", question: "太早", answer: answers.answered([first.id]) });
    clock = "2026-11-21T09:00:00.000Z";
    const asked = await store.recordTurn({ channel: "wechat-mp", question: "一", answer: answers.answered([first.id, second.id]) });
    await store.recordTurn({ channel: "wecom", question: "二", answer: answers.refused("personal-matter") });
    clock = "2026-11-27T09:00:00.000Z";
    await store.recordTurn({ channel: "wechat-mp", question: "三", answer: answers.notStated() });
    await store.recordTurn({ channel: "api", question: "四", answer: answers.low() });
    await store.rate({ answerId: asked.answerId, rating: "down", client: "x" });

    const response = await app.request("/api/analytics?days=7", {}, LOCAL);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ from: "2026-11-21", to: "2026-11-27", days: 7, ratings: { up: 0, down: 1 } });
    expect(body.byDay).toHaveLength(7);
    expect(body.byDay[0]).toMatchObject({ date: "2026-11-21", questions: 2, answered: 1, low: 0, refused: 1, channels: { "wechat-mp": 1, wecom: 1 } });
    expect(body.byDay[6]).toMatchObject({ date: "2026-11-27", questions: 2, answered: 1, low: 1, refused: 0, notStated: 1, down: 1 });
    expect(body.totals).toEqual({ questions: 4, answered: 2, low: 1, refused: 1, handedOff: 0, library: 0, notStated: 1 });
    expect(body.byChannel[0]).toEqual({ channel: "wechat-mp", questions: 2, answered: 2, low: 0, refused: 0, handedOff: 0 });
    expect(body.refusalReasons).toEqual([{ reason: "personal-matter", count: 1 }]);
    expect(body.topMeasures.slice(0, 2)).toEqual([
      expect.objectContaining({ measureId: first.id, count: 1, document: knowledgeBase.documentOf(first).shortTitle }),
      expect.objectContaining({ measureId: second.id, count: 1 }),
    ]);
    expect(body.topMeasures[0].title.length).toBeGreaterThan(0);
    // m-2 is not in the knowledge base: counted under its id, and every seed measure but the two is never asked.
    expect(body.topMeasures.map((m: { measureId: string }) => m.measureId)).toContain("m-2");
    expect(body.neverAsked.total).toBe(knowledgeBase.corpus.measures.length - 2);
    expect(body.neverAsked.measures.map((m: { measureId: string }) => m.measureId)).not.toContain(first.id);

    const month = await (await app.request("/api/analytics", {}, LOCAL)).json();
    expect(month.days).toBe(30);
    expect(month.totals.questions).toBe(5);
    await store.close();
  });

  it("refuses days outside 1–366 and anyone but staff", async () => {
    const { app } = testApp();
    expect((await app.request("/api/analytics?days=0", {}, LOCAL)).status).toBe(400);
    expect((await app.request("/api/analytics?days=400", {}, LOCAL)).status).toBe(400);
    expect((await app.request("/api/analytics", {}, from("203.0.113.9"))).status).toBe(403);
  });
});

describe("GET /staff/analytics", () => {
  it("loads ECharts from this server under the page's nonce; the script is served as JavaScript", async () => {
    const { app } = testApp();
    const page = await app.request("/staff/analytics");
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(csp).not.toMatch(/https?:/);
    expect(await page.text()).toContain(`<script src="/staff/assets/echarts.min.js" nonce="${nonce}"></script>`);
    const script = await app.request("/staff/assets/echarts.min.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("echarts");
  });
});
