import { describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { LiveShortTitles } from "./live-short-titles.js";

const knowledgeBaseWith = (titles: Record<string, string>) =>
  ({ documentsById: new Map(Object.entries(titles).map(([id, shortTitle]) => [id, { id, shortTitle }])) }) as unknown as KnowledgeBase;

describe("LiveShortTitles", () => {
  it("answers from the knowledge base of the moment: a publish is seen without rebuilding the channel", () => {
    let live = knowledgeBaseWith({ "seed-1": "十二条措施" });
    const titles = new LiveShortTitles(() => live);
    expect(titles.get("seed-1")).toBe("十二条措施");
    expect(titles.get("doc-1-1")).toBeUndefined();
    live = knowledgeBaseWith({ "seed-1": "十二条措施", "doc-1-1": "首贷贴息管理办法" });
    expect(titles.get("doc-1-1")).toBe("首贷贴息管理办法");
    expect(titles.size).toBe(2);
    expect([...titles]).toEqual([
      ["seed-1", "十二条措施"],
      ["doc-1-1", "首贷贴息管理办法"],
    ]);
    expect(() => titles.set()).toThrow(/follow the knowledge base/);
  });
});
