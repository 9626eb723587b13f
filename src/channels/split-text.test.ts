import { describe, expect, it } from "vitest";
import { splitAtBoundaries } from "./split-text.js";

describe("splitAtBoundaries", () => {
  it("keeps short text whole", () => {
    expect(splitAtBoundaries("一句话。", 10)).toEqual(["一句话。"]);
  });

  it("cuts at sentence ends, in order, losing nothing", () => {
    const text = "第一句很长很长。第二句也很长。第三句。";
    const parts = splitAtBoundaries(text, 9);
    expect(parts.join("")).toBe(text);
    expect(parts.every((p) => p.length <= 9)).toBe(true);
    expect(parts[0]).toBe("第一句很长很长。");
  });

  it("hard-cuts only a sentence longer than the limit", () => {
    const parts = splitAtBoundaries("一二三四五六七八九十。", 4);
    expect(parts.join("")).toBe("一二三四五六七八九十。");
    expect(parts.every((p) => p.length <= 4)).toBe(true);
  });

  it("never cuts an astral character (emoji, rare Han) or an emoji sequence in two", () => {
    const text = `减免${"😀".repeat(5)}𠀀𠀁👨‍👩‍👧结束`;
    for (const limit of [3, 4, 5, 7, 9]) {
      const parts = splitAtBoundaries(text, limit);
      expect(parts.join("")).toBe(text);
      // A lone surrogate at either end of a piece is half a character.
      for (const part of parts) expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      expect(parts.filter((p) => p.includes("👨") || p.includes("👧")).every((p) => p.includes("👨‍👩‍👧"))).toBe(true);
    }
  });
});
