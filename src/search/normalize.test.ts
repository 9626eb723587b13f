import { describe, expect, it } from "vitest";
import { normalizeQuestion } from "./normalize.js";

describe("normalizeQuestion", () => {
  it("simplifies traditional characters, Taiwan and Hong Kong forms included", () => {
    expect(normalizeQuestion("想找律師問點法律問題，有沒有法律諮詢熱線？")).toBe("想找律师问点法律问题，有没有法律咨询热线？");
    expect(normalizeQuestion("克拉瑪依的銀行帳戶")).toBe("克拉玛依的银行帐户");
  });

  it("folds full-width letters and digits and keeps Chinese punctuation", () => {
    expect(normalizeQuestion("３个工作日能办完ＡＢＣ吗？")).toBe("3个工作日能办完ABC吗？");
    expect(normalizeQuestion("检测费，能减吗?")).toBe("检测费，能减吗？");
  });

  it("removes zero-width characters and lone surrogates, and collapses white space", () => {
    expect(normalizeQuestion("检\u200b测\u200d费  \ud800减免\ufeff")).toBe("检测费 减免");
  });

  it("leaves simplified text as it is", () => {
    const question = "我的企业能减免多少检测费？";
    expect(normalizeQuestion(question)).toBe(question);
  });
});
