import { describe, expect, it } from "vitest";
import { loadExampleQuestions } from "../../examples.js";
import { json, testApp } from "../__fixtures__/test-app.js";

describe("GET /api/examples", () => {
  it("offers the curated questions, however often anonymous users ask something else, without reading turns", async () => {
    const { app, store } = testApp({ exampleQuestions: loadExampleQuestions });
    for (let i = 0; i < 16; i++) await app.request("/api/ask", json({ question: "广告：加微信领补贴" }));
    const scans: string[] = [];
    const topQuestions = (limit?: number) => {
      scans.push("top");
      return store.topQuestions(limit);
    };
    const spied = testApp({ exampleQuestions: loadExampleQuestions, store: { ...store, topQuestions } });
    const { examples } = await (await spied.app.request("/api/examples")).json();
    expect(examples).toEqual(loadExampleQuestions());
    expect(examples).not.toContain("广告：加微信领补贴");
    expect(scans).toEqual([]);
  });

  it("has four to six curated questions", () => {
    expect(loadExampleQuestions().length).toBeGreaterThanOrEqual(4);
    expect(loadExampleQuestions().length).toBeLessThanOrEqual(6);
  });
});
