import { describe, expect, it } from "vitest";
import type { Chosen } from "./sides.js";
import { comparisonItems } from "./sides.js";

const chosen = (marker: number, region: string, text: string): Chosen =>
  ({
    hit: { measureId: String(marker) },
    measure: { id: String(marker), heading: "强化公证服务便捷性", text },
    citation: { marker, region },
  }) as unknown as Chosen;

const common = "强化公证服务便捷性。持续推进四项公证事项网上“跨省通办”。在有三名以上公证员的公证机构开通“中小微企业绿色通道”，做到当日受理、快速出证。";

describe("comparison items", () => {
  it("says a copied clause once, and as a side's own only what the others do not say", () => {
    const province = chosen(1, "新疆维吾尔自治区", `${common}鼓励县域公证处开展巡回办证。`);
    const city = chosen(2, "克拉玛依市", `${common}\n牵头单位：市司法局\n责任单位：各区人民政府\n完成时限：2023年12月底前`);
    const items = comparisonItems([province, city], () => false);
    expect(items.map((i) => i.label)).toEqual(["自治区、克拉玛依市相同：", "自治区另规定：", "克拉玛依市另规定："]);
    expect(items[0].text).not.toContain("县域公证处");
    expect(items[1].text).toBe("鼓励县域公证处开展巡回办证。");
    // All its sentences copied, a city's plan still differs in whom it makes lead and by when.
    expect(items[2].text).toBe("牵头单位：市司法局，完成时限：2023年12月底前");
  });

  it("adds nothing for a side that says nothing of its own", () => {
    const items = comparisonItems([chosen(1, "新疆维吾尔自治区", common), chosen(2, "哈密市", common)], () => false);
    expect(items.map((i) => i.label)).toEqual(["自治区、哈密市相同："]);
  });
});
