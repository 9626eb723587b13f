import { describe, expect, it } from "vitest";
import { describesAsker } from "./describe-asker.js";

describe("describesAsker", () => {
  it.each([
    ["我是哈密的个体户，开饭馆的，有什么政策能享受？", { region: "哈密市", entityType: "个体工商户", sector: "餐饮" }],
    ["我是哈密的个体户，开饭馆的，想少交点检测费，有什么政策？", { region: "哈密市", entityType: "个体工商户", sector: "餐饮", needs: "想少交点检测费" }],
    ["我们是克拉玛依的一家小微企业，有哪些贷款政策？", { region: "克拉玛依市", entityType: "小微企业", needs: "贷款" }],
    ["我们公司是外资企业，在乌鲁木齐，能享受哪些优惠？", { region: "乌鲁木齐市", entityType: "外资企业" }],
    ["我在哈密开了个饭店，有什么扶持政策？", { region: "哈密市", sector: "餐饮" }],
    // Told as 我们 + the kind of business, without 是 or 开.
    ["我们小作坊在哈密，做馕的，有什么扶持政策？", { region: "哈密市", sector: "食品" }],
    ["本人是新疆的农民专业合作社负责人，有哪些政策可以享受？", { region: "新疆维吾尔自治区", entityType: "农民专业合作社", sector: "农业" }],
  ])("reads a profile from “%s”", (question, profile) => {
    expect(describesAsker(question)).toEqual({ ...profile, includeInternal: false });
  });

  it.each([
    "我的企业能减免多少检测费？",
    "个体工商户歇业最长能保留多久？",
    "我是个体户，检测费能减免吗？",
    "哈密市居民用非电网直供电，电价是多少？",
    "有什么政策？",
    "检测费那条具体怎么说？",
  ])("leaves “%s” to the usual answer", (question) => {
    expect(describesAsker(question)).toBeUndefined();
  });
});
