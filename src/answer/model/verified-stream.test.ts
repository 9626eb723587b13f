import { describe, expect, it } from "vitest";
import { ModelResponseError } from "../../errors.js";
import { VerifiedStream, verifiableEnd } from "./verified-stream.js";

describe("verifiableEnd", () => {
  it("ends at the last complete sentence that cites a clause", () => {
    expect(verifiableEnd("可以减免[1]。但仅限小")).toBe("可以减免[1]。".length);
    expect(verifiableEnd("根据规定：\n可以减免[1]。另外")).toBe("根据规定：\n可以减免[1]。".length);
    expect(verifiableEnd("没有编号的一句。")).toBe(0);
  });
});

describe("VerifiedStream", () => {
  const run = (tokens: string[], check: (text: string) => boolean, maxCharacters = 1000) => {
    const emitted: string[] = [];
    const checked: string[] = [];
    const stream = new VerifiedStream({
      check: (text) => {
        checked.push(text);
        return check(text);
      },
      emit: (text) => emitted.push(text),
      maxCharacters,
    });
    for (const token of tokens) stream.push(token);
    return { stream, emitted, checked };
  };

  it("releases each cited sentence once the text up to it passes, and holds the rest", () => {
    const { emitted, checked } = run(["可以减", "免[1]。但", "仅限小"], () => true);
    expect(emitted).toEqual(["可以减免[1]。"]);
    expect(checked).toEqual(["可以减免[1]。"]);
  });

  it("releases nothing more once a prefix fails, and marks the draft rejected", () => {
    const { stream, emitted } = run(["可以减免30%[1]。", "另有90%[1]。", "其余[1]。"], (text) => !text.includes("90%"));
    expect(emitted).toEqual(["可以减免30%[1]。"]);
    expect(stream.rejected).toBe(true);
    stream.finish();
    expect(emitted).toEqual(["可以减免30%[1]。"]);
  });

  it("releases the uncited tail only when the whole answer passed", () => {
    const { stream, emitted } = run(["可以减免[1]。", "以上供参考"], () => true);
    stream.finish();
    expect(emitted.join("")).toBe("可以减免[1]。以上供参考");
  });

  it("refuses a reply beyond the character cap", () => {
    expect(() => run(["很长".repeat(20)], () => true, 30)).toThrow(ModelResponseError);
  });
});
