import { describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import { searchText } from "../search/hybrid-retriever.js";
import { analyseQuery } from "../search/query.js";
import { ledTasks, ledTopic, tasksOnTopic, unitNames } from "./field-query.js";

describe("tasks a unit leads (the parsed 牵头单位 field)", () => {
  const led = async (question: string, regions = ["克拉玛依市"]) => {
    const kb = await seedKnowledgeBase();
    return ledTasks({ question, measures: kb.corpus.measures, documentOf: (m) => kb.documentOf(m), regions, documents: [] });
  };

  it("names a unit as callers do", () => {
    expect(unitNames("市市场监管局")).toEqual(["市市场监管局", "市场监管局", "市场监管"]);
    expect(unitNames("市发展改革委")).toContain("发改委");
    // Two joined names are called by the first, with the kind of unit.
    expect(unitNames("市政务服务和公共资源交易中心")).toContain("政务服务中心");
  });

  it("lists every task the unit leads, in the month asked, joint leads included", async () => {
    const tasks = await led("市市场监管局牵头、要求12月底前完成的任务有哪几项？");
    expect(tasks.map((m) => m.fields.leadUnit)).toEqual(expect.arrayContaining(["市发改委、市市场监管局"]));
    expect(tasks.every((m) => /12月/.test(m.fields.deadline!.text))).toBe(true);
    expect(tasks.length).toBe(5);
    expect((await led("住房公积金管理中心牵头了哪几项改革？")).length).toBe(2);
  });

  it("is no field query when the question asks who leads", async () => {
    expect(await led("林草地融合审批这项任务的牵头单位和完成时限分别是什么？")).toEqual([]);
    expect(await led("检验检测费能减免多少？")).toEqual([]);
  });

  it("narrows a unit's tasks to the topic the question names, and not to a deadline it names", async () => {
    expect(ledTopic("克拉玛依市市场监管局牵头的简易注销方面的任务都有哪些？")).toBe("简易注销");
    expect(ledTopic("市人社局牵头的任务有哪些")).toBeUndefined();
    expect(ledTopic("市市场监管局牵头、要求12月底前完成的任务有哪几项？")).toBeUndefined();
    const kb = await seedKnowledgeBase();
    const all = await led("克拉玛依市市场监管局牵头的简易注销方面的任务都有哪些？");
    const topic = analyseQuery("简易注销", kb.index.keywordIndex, kb.lexicon).concepts;
    const narrowed = tasksOnTopic(all, topic, (m) => searchText(m, kb.documentOf(m)));
    expect(narrowed.length).toBeGreaterThanOrEqual(3);
    expect(narrowed.length).toBeLessThan(all.length);
    expect(narrowed.every((m) => searchText(m, kb.documentOf(m)).includes("简易"))).toBe(true);
    // A topic every task speaks of narrows nothing.
    const regulator = await led("哈密市市场监管局牵头的监管方面的措施有哪些？", ["哈密市"]);
    const supervision = analyseQuery("监管", kb.index.keywordIndex, kb.lexicon).concepts;
    expect(tasksOnTopic(regulator, supervision, (m) => searchText(m, kb.documentOf(m)))).toHaveLength(regulator.length);
  });
});
