import { describe, expect, it } from "vitest";
import { readDocNumber } from "./doc-number.js";

describe("readDocNumber", () => {
  it("reads a 文号 with its year in whatever brackets a typist or OCR used, shown in 〔〕", () => {
    for (const line of ["吐政发〔2025〕8号", "吐政发[2025]8号", "吐政发［2025］8号", "吐政发（2025）8号", "吐政发【2025】8号", "吐政发〔2025)8号"]) {
      expect(readDocNumber(line), line).toBe("吐政发〔2025〕8号");
    }
  });

  it("drops a mark OCR read from a speck after 号 (the 150 dpi speckled scan's 吐政发〔2025〕8号：)", () => {
    expect(readDocNumber("吐政发〔2025〕8号：")).toBe("吐政发〔2025〕8号");
    expect(readDocNumber("新政办发〔2023〕5号。")).toBe("新政办发〔2023〕5号");
  });

  it("is not a 文号 when text follows it or the year is not four digits", () => {
    expect(readDocNumber("根据吐政发〔2025〕8号文件精神")).toBeUndefined();
    expect(readDocNumber("吐政发〔2025〕8号：现将有关事项通知如下")).toBeUndefined();
    expect(readDocNumber("吐政发〔25〕8号")).toBeUndefined();
  });
});
