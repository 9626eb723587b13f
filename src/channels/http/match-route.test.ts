import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../../test/helpers.js";
import { json, type TestApp, testApp } from "./__fixtures__/test-app.js";

let app: TestApp["app"];
beforeAll(async () => {
  ({ app } = testApp({ knowledgeBase: await seedKnowledgeBase(), today: () => TODAY }));
});

const match = (body: unknown) => app.request("/api/match", json(body));

describe("POST /api/match", () => {
  it("returns the measures grouped by kind of benefit, each cited, ended ones apart", async () => {
    const response = await match({ region: "哈密", entityType: "个体户", sector: "饭馆", needs: "想少交点检测费" });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.profile).toMatchObject({ region: "哈密市", entityType: "个体工商户", sector: "餐饮", needs: "想少交点检测费" });
    expect(result.summary).toBe("哈密市 · 个体工商户 · 餐饮");
    expect(result.groups.length).toBeGreaterThan(0);
    expect(result.ended[0].items[0]).toMatchObject({ status: "ended", validityLabel: "已到期", citation: { docNumber: "新市监机〔2023〕83号" } });
    const items = [...result.groups, ...result.ended].flatMap((g: { items: Array<{ region: string }> }) => g.items);
    expect(items.some((item) => item.region === "克拉玛依市")).toBe(false);
    expect(result.internal).toEqual([]);
    expect(result.counts.current + result.counts.ended).toBe(items.length);
  });

  it("lists internal tasks on request", async () => {
    const result = await (await match({ region: "克拉玛依市", entityType: "小微企业", includeInternal: true })).json();
    expect(result.internal.length).toBeGreaterThan(0);
  });

  it.each([
    [{}, "region"],
    [{ entityType: "个体工商户" }, "region"],
    [{ region: "  ", entityType: "个体工商户" }, "region"],
    [{ region: "火星", entityType: "个体工商户" }, "region"],
    [{ region: "上海市", entityType: "个体工商户" }, "region"],
    [{ region: "哈密市" }, "entityType"],
    [{ region: "哈密市", entityType: "宇宙公司" }, "entityType"],
    [{ region: "哈密市", entityType: "个体工商户", sector: "航天" }, "sector"],
    [{ region: "哈密市", entityType: "个体工商户", needs: "贷".repeat(300) }, "needs"],
    [{ region: 5, entityType: "个体工商户" }, "region"],
    [{ region: "哈密市", entityType: "个体工商户", includeInternal: "yes" }, "includeInternal"],
  ])("answers 400 naming the field for %j", async (body, field) => {
    const response = await match(body);
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.field).toBe(field);
    expect(error.error).toMatch(new RegExp(`^${field}: `));
  });

  it("needs a JSON body", async () => {
    expect((await app.request("/api/match", { method: "POST", body: "region=哈密市" })).status).toBe(415);
  });
});

describe("GET /api/match/options and /match", () => {
  it("offers the places, entity types and sectors for the form", async () => {
    const options = await (await app.request("/api/match/options")).json();
    expect(options.regions).toEqual(["哈密市", "克拉玛依市", "新疆维吾尔自治区"].sort((a, b) => a.length - b.length));
    expect(options.entityTypes.map((e: { id: string }) => e.id)).toContain("个体工商户");
    expect(options.sectors).toContain("餐饮");
  });

  it("serves the page with its own script nonce and no framing", async () => {
    const response = await app.request("/match");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("政策匹配");
    expect(html).not.toContain("{{NONCE}}");
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'nonce-/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("is in the OpenAPI description", async () => {
    const spec = await (await app.request("/api/openapi.json")).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/match", "/api/match/options", "/match"]));
  });
});
