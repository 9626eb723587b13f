import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../../../test/helpers.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { testApp } from "../__fixtures__/test-app.js";

let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

const get = async (today: string, path: string) => {
  const response = await testApp({ knowledgeBase, today: () => today }).app.request(path);
  return {
    status: response.status,
    body: (await response.json()) as { measures: Array<{ id: string; badge: { kind: string; label: string; until?: string; daysLeft?: number } }> },
  };
};

describe("GET /api/measures/expiring", () => {
  it("lists the measures whose 实施期限 ends within the days asked (90 by default), soonest first, each marked 即将到期", async () => {
    const { status, body } = await get("2023-07-01", "/api/measures/expiring");
    expect(status).toBe(200);
    expect(body.measures.length).toBe(4);
    expect(body.measures.every((m) => m.badge.label === "即将到期" && m.badge.until === "2023-08-31" && m.badge.daysLeft === 61)).toBe(true);
    expect((await get("2023-07-01", "/api/measures/expiring?days=30")).body.measures).toEqual([]);
    expect((await get("2023-05-15", "/api/measures/expiring")).body.measures).toEqual([]);
    expect((await get("2023-05-15", "/api/measures/expiring?days=120")).body.measures.length).toBe(4);
    // Once ended, a measure is no longer "expiring".
    expect((await get("2023-09-01", "/api/measures/expiring")).body.measures).toEqual([]);
  });

  it("refuses a number of days out of range, and leaves /api/measures/{id} to measures", async () => {
    expect((await testApp({ knowledgeBase }).app.request("/api/measures/expiring?days=0")).status).toBe(400);
    const id = knowledgeBase.corpus.measures.find((m) => m.fields.period)!.id;
    const one = (await (await testApp({ knowledgeBase, today: () => "2026-11-27" }).app.request(`/api/measures/${id}`)).json()) as { badge: { label: string } };
    expect(one.badge.label).toBe("已到期");
  });
});

describe("GET /api/measures/badges", () => {
  it("gives the badge of each known id, the same as the measure's own view", async () => {
    const ended = knowledgeBase.corpus.measures.find((m) => m.fields.period)!;
    const task = knowledgeBase.corpus.measures.find((m) => !m.fields.period && m.fields.deadline)!;
    const response = await testApp({ knowledgeBase, today: () => "2023-07-01" }).app.request(`/api/measures/badges?ids=${ended.id},${task.id},no-such-id`);
    const { badges } = (await response.json()) as { badges: Record<string, { label: string }> };
    expect(Object.keys(badges).sort()).toEqual([ended.id, task.id].sort());
    expect(badges[ended.id].label).toBe("即将到期");
    expect(badges[task.id].label).toBe("任务时限");
  });
});
