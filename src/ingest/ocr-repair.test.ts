import { describe, expect, it } from "vitest";
import { repairOcrText } from "./ocr-repair.js";

// Lines as PP-OCRv4 read the fidelity notice's speckled scans (bench/fidelity.ts, 2% of pixels flipped).
const SCAN_300 = [
  "# Page 1:",
  "为进一步激发市场主体活力，帮助小微企业和个体工商户稳定经营、长期发展，经市人",
  "民政府研究同意，现将有关事项通知如下。",
  "、减轻经营负担",
  "（一）减免房屋租金。对承租市属国有企业经营性房产的小微企业和个体工商户",
  "（二）降低用电成本。对小微企业和个体工商户用电实行“欠费不停供”措施，设立6",
  "二、加大金融支持",
  "（一）扩大信贷投放。鼓励银行机构对小微企业贷款实行“无还本续贷”，全年新增普",
];
const SCAN_150 = [
  "# Page 1:",
  "民政府研究同意，现将有关事项通知如下",
  "减轻经营负担",
  "（一）减免房屋租金。对承租市属国有企业经营性房产的小微企业和个体工商户",
  "（三）减免检验检测费用。市场监管部门所属检验检测机构对小微企业的检验检测费用",
  "二、加大金融支持",
  "（二）给予贷款贴息。：对符合条件的个体工商户新发放的创业担保贷款，按贷款市场报",
];

describe("repairOcrText", () => {
  it("puts back 一 before a 、 that opens a line (300 dpi speckled: 、减轻经营负担)", () => {
    expect(repairOcrText(SCAN_300.join("\n")).split("\n")[3]).toBe("一、减轻经营负担");
  });

  it("puts back 一、 lost with its 、 on a heading above （一） when 二、 follows (150 dpi speckled: 减轻经营负担)", () => {
    const lines = repairOcrText(SCAN_150.join("\n")).split("\n");
    expect(lines[2]).toBe("一、减轻经营负担");
    // The preamble's last line is not a heading: it has no （一） under it.
    expect(lines[1]).toBe("民政府研究同意，现将有关事项通知如下");
  });

  it("drops a colon read from a speck after a sentence's mark", () => {
    expect(repairOcrText(SCAN_150.join("\n")).split("\n")[6]).toBe("（二）给予贷款贴息。对符合条件的个体工商户新发放的创业担保贷款，按贷款市场报");
  });

  it("reads 一 read as a dash as 一 where the numbering expects it: —、 and （—）", () => {
    const text = ["—、减轻经营负担", "（—）减免房屋租金。", "（二）降低用电成本。", "二、加大金融支持", "(-)扩大信贷投放。"].join("\n");
    expect(repairOcrText(text).split("\n")).toEqual([
      "一、减轻经营负担",
      "（一）减免房屋租金。",
      "（二）降低用电成本。",
      "二、加大金融支持",
      "（一）扩大信贷投放。",
    ]);
    // 二、 read with a lost numeral takes the next number in the sequence, not 一.
    expect(repairOcrText(["一、减轻经营负担", "（一）减免房屋租金。", "、加大金融支持"].join("\n")).split("\n")[2]).toBe("二、加大金融支持");
  });

  it("invents no marker in text that has them all, nor from a dash or a short line no numbering asks for", () => {
    const clean = ["一、减轻经营负担", "（一）减免房屋租金。", "二、加大金融支持", "（一）扩大信贷投放。"].join("\n");
    expect(repairOcrText(clean)).toBe(clean);
    // A dash in running text, a dash opening a wrapped line, and a dash where 一、 was already used.
    const dashes = ["一、减轻经营负担", "（一）减免房屋租金——对承租国有房产的", "—小微企业减免3个月租金。", "—、重复的标记", "二、加大金融支持"].join("\n");
    expect(repairOcrText(dashes)).toBe(dashes);
    // A short line of Chinese above （一） is a heading only when the sequence expects one there and the next one follows.
    const unnumbered = ["工作目标", "（一）到2025年底基本建成。", "（二）惠企政策应享尽享。"].join("\n");
    expect(repairOcrText(unnumbered)).toBe(unnumbered);
    const afterThree = ["一、总体要求", "（一）指导思想。", "二、重点任务", "（一）减费。", "保障措施", "（一）加强领导。"].join("\n");
    expect(repairOcrText(afterThree)).toBe(afterThree);
  });
});
