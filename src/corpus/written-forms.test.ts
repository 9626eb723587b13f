import { describe, expect, it } from "vitest";
import { fullWidthPunctuation, toWrittenForms } from "./written-forms.js";
import table from "./written-forms.json" with { type: "json" };

describe("toWrittenForms", () => {
  it("reads Kangxi and supplement radicals as the ideographs pdf.js found them for", () => {
    expect(toWrittenForms("⽰例市⼈⺠政府关于⽀持⼩微企业发展的通知")).toBe("示例市人民政府关于支持小微企业发展的通知");
    expect(toWrittenForms("⻓期⻅效，⻔槛⻬全，⻋⻢⻛⻜")).toBe("长期见效，门槛齐全，车马风飞");
    // NFKC would give the traditional 戶; simplified text is written 户 (one glyph in the SC font).
    expect(toWrittenForms("个体⼯商⼾")).toBe("个体工商户");
    // A compatibility ideograph (U+F900 豈) is its unified one.
    expect(toWrittenForms("\uf900")).toBe("豈");
  });

  it("maps every code point of the radical blocks and no ideograph to something else", () => {
    const forms = table as Record<string, string>;
    for (let code = 0x2f00; code <= 0x2fd5; code++) expect(forms[String.fromCodePoint(code)], code.toString(16)).toMatch(/^\p{Script=Han}$/u);
    for (let code = 0x2e80; code <= 0x2ef3; code++) {
      if (code === 0x2e9a) continue;
      expect(forms[String.fromCodePoint(code)], code.toString(16)).toMatch(/^\p{Script=Han}$/u);
    }
    const targets = Object.values(forms).join("");
    expect(toWrittenForms(targets)).toBe(targets);
  });

  it("closes the spaces justification puts between Chinese characters, not those between Latin words or numbers", () => {
    expect(toWrittenForms("定 服 务 ， 实 施 减 免")).toBe("定服务，实施减免");
    expect(toWrittenForms("COVID 19 test 2023 12")).toBe("COVID 19 test 2023 12");
    // Full-width punctuation stays full width; a table's cell separators stay.
    expect(toWrittenForms("（一）项目：标准；")).toBe("（一）项目：标准；");
    expect(toWrittenForms("项目 | 标准 | 责任单位")).toBe("项目 | 标准 | 责任单位");
    expect(toWrittenForms("第一行\n第二行")).toBe("第一行\n第二行");
  });

  it("gives ASCII punctuation among Chinese (OCR's) its full-width form, and leaves it in Latin text", () => {
    expect(fullWidthPunctuation("(一)减免房屋租金,期限为:2025年;各区(县)")).toBe("（一）减免房屋租金，期限为：2025年；各区（县）");
    expect(fullWidthPunctuation("COVID-19 (2020), see: https://example.org")).toBe("COVID-19 (2020), see: https://example.org");
    expect(fullWidthPunctuation("网址：https://example.org")).toBe("网址：https://example.org");
    // A text layer keeps the ASCII its typist used.
    expect(toWrittenForms("收费,制止")).toBe("收费,制止");
  });
});
