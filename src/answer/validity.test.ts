import { beforeAll, describe, expect, it } from "vitest";
import { seedAsk, seedKnowledgeBase } from "../../test/helpers.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Measure } from "../types.js";
import { validityBadge, withoutOwnDates } from "./validity.js";

let knowledgeBase: KnowledgeBase;
let inspection: Measure;
let task: Measure;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
  // 检验检测费用减免, 2023年5月1日至2023年8月31日.
  inspection = knowledgeBase.corpus.measures.find((m) => m.fields.period?.to === "2023-08-31")!;
  task = knowledgeBase.corpus.measures.find((m) => !m.fields.period && m.fields.deadline && !m.fields.deadline.ongoing)!;
});

describe("validityBadge", () => {
  it("reads the measure's period against today: 现行有效, then 即将到期 within 90 days, then 已到期", () => {
    const on = (today: string) => validityBadge(inspection, today, knowledgeBase.documentOf(inspection));
    expect(on("2023-05-15")).toMatchObject({ kind: "in-force", label: "现行有效", until: "2023-08-31", daysLeft: 108 });
    expect(on("2023-06-02")).toMatchObject({ kind: "expiring", label: "即将到期", daysLeft: 90 });
    expect(on("2023-08-31")).toMatchObject({ kind: "expiring", daysLeft: 0 });
    expect(on("2023-09-01")).toMatchObject({ kind: "expired", label: "已到期", daysLeft: -1 });
    expect(on("2023-06-02").title).toContain("2023年8月31日");
  });

  it("marks a government task's 完成时限 as 任务时限, before and after it passes, never 已到期", () => {
    expect(validityBadge(task, "2023-01-01").kind).toBe("task");
    expect(validityBadge(task, "2026-11-27")).toMatchObject({ kind: "task", label: "任务时限", until: task.fields.deadline!.date });
  });

  it("marks a repealed document's measures 已到期 whatever their own dates, and an undated clause 现行有效", () => {
    const undated = knowledgeBase.corpus.measures.find((m) => !m.fields.period && !m.fields.deadline)!;
    expect(validityBadge(undated, "2026-11-27").kind).toBe("in-force");
    expect(validityBadge(undated, "2026-11-27", { retired: { kind: "repealed", date: "2026-01-01" } }).kind).toBe("expired");
  });
});

describe("an answer about a measure in force", () => {
  it("says until when", async () => {
    const ask = await seedAsk("2023-06-15");
    const answer = await ask("我的企业能减免多少检测费？");
    expect(answer.refused).toBe(false);
    expect(answer.notices.map((n) => n.text).join("")).toMatch(/目前在实施期限内（至2023年8月31日）/);
  });
});

describe("the asker's own dates", () => {
  it("ask nothing of a measure's period (欠的债到期), while 到期 said of a measure still does", async () => {
    const ask = await seedAsk();
    const debt = await ask("疫情那阵子我们厂资金周转不过来，欠的债到期还不上，法院会怎么处理？");
    expect(debt.notices.map((n) => n.text).join("")).not.toContain("实施期限");
    expect(withoutOwnDates("贷款快到期了，这个优惠到期了吗？")).toBe("了，这个优惠到期了吗？");
  });
});
