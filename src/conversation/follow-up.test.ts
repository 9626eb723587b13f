import { describe, expect, it } from "vitest";
import { carryOver, hasFollowUpCue, understoodTurns } from "./follow-up.js";

describe("follow-up cues", () => {
  it("recognises wording that points back", () => {
    for (const q of ["那农业用电呢？", "哈密有没有类似的？谁牵头？", "一共要做多少个这样的“一件事”？", "这项工作谁负责？", "个体户呢"])
      expect(hasFollowUpCue(q)).toBe(true);
  });

  it("leaves standalone questions alone", () => {
    for (const q of ["克拉玛依失业金能网上领吗", "专利年费没按时交会有滞纳金吗？", "我的企业能减免多少检测费？"]) expect(hasFollowUpCue(q)).toBe(false);
  });
});

describe("carrying the conversation over", () => {
  it("joins the turn to the earlier topic, and a place it names replaces the earlier place", () => {
    const same = carryOver("要求几月底前落实到位？", "克拉玛依落实阶段性缓缴社会保险费政策，是哪个部门牵头的？");
    expect(same.text).toContain("缓缴社会保险费");
    expect(same.text).toContain("克拉玛依");
    const moved = carryOver("那哈密呢？", "克拉玛依养老保险关系转移要几个工作日？");
    expect(moved.text).toContain("哈密");
    expect(moved.text).not.toContain("克拉玛依");
    expect(moved.focus).toBe("哈密？");
  });

  it("replaces the earlier question's frame with the one the follow-up asks, keeping the topic", () => {
    const where = carryOver("在哪里办", "公司刻章备案要多长时间？");
    expect(where.text).toContain("公司刻章备案");
    expect(where.text).not.toContain("多长时间");
    expect(where.focus).toBe("在哪里办");
    // A turn without a frame of its own keeps the earlier one.
    expect(carryOver("农业用电", "哈密市居民用非电网直供电价格是多少").text).toBe("农业用电 哈密市居民用非电网直供电价格是多少");
  });

  it("understands earlier turns that arrive without their resolution, up to three back", () => {
    const turns = understoodTurns(
      [
        { question: "无关的第一个问题" },
        { question: "克拉玛依二手房水电气暖联合过户是哪个部门牵头？" },
        { question: "要求什么时候完成？" },
        { question: "那哈密呢？" },
      ],
      (q) => q.length < 12,
    );
    expect(turns).toHaveLength(3);
    expect(turns[1]).toContain("水电气暖");
    expect(turns[2]).toContain("水电气暖");
    expect(turns[2]).toContain("哈密");
    expect(turns[2]).not.toContain("克拉玛依");
  });
});
