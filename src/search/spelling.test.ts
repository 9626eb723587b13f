import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import type { SpellingCorrector } from "./spelling.js";

describe("pinyin slip correction on the seed's vocabulary", () => {
  let spelling: SpellingCorrector;
  beforeAll(async () => {
    spelling = (await seedKnowledgeBase()).lexicon.spelling;
  });

  it("leaves a word of everyday language alone, though the documents write a homophone fragment", () => {
    expect(spelling.correct("注销流程能不能简单点").text).toBe("注销流程能不能简单点");
  });

  it("replaces a character typed for its homophone when the documents write the intended word", () => {
    expect(spelling.correct("这种限制合里吗").text).toBe("这种限制合理吗");
    expect(spelling.correct("申请带款").text).toBe("申请贷款");
    expect(spelling.correct("银行帐户").text).toBe("银行账户");
    // Two readings of one slip: the word the documents use more often wins (减免 over 见面).
    expect(spelling.correct("检测费减面").text).toBe("检测费减免");
    expect(spelling.correct("食品小做坊").text).toBe("食品小作坊");
  });

  it("leaves words the documents or the thesaurus already have", () => {
    for (const text of ["检验检测费用减免", "公证服务", "听说现在提倡联合检查"]) expect(spelling.correct(text).text).toBe(text);
  });

  it("never replaces the question's own frame (几 in 几个月 is not a slip for 集)", () => {
    expect(spelling.correct("能免收几个月房屋租金").text).toBe("能免收几个月房屋租金");
  });

  it("never replaces 不, 先 or 死, which callers type on purpose (发不出来 is not 发布出来)", () => {
    expect(spelling.correct("工资都快发不出来了").text).toBe("工资都快发不出来了");
    expect(spelling.correct("弄个临时证明先用着").text).toBe("弄个临时证明先用着");
    // 死 of 贵死了 says how dear, not 私了.
    expect(spelling.correct("检测费用贵死了").text).toBe("检测费用贵死了");
  });

  it("reads a numeral and its measure word as a count (50条里 is not 50条例)", () => {
    expect(spelling.correct("政法委那50条里有哪些规定").text).toBe("政法委那50条里有哪些规定");
    expect(spelling.correct("那十二条里说了什么").text).toBe("那十二条里说了什么");
    expect(spelling.correct("这种限制合里吗").text).toBe("这种限制合理吗");
  });

  it("reads 了 and a measure word as a count with its 一 dropped (开了家 is not 开了解)", () => {
    expect(spelling.correct("开了家饭馆").text).toBe("开了家饭馆");
    expect(spelling.correct("刚办了个厂").text).toBe("刚办了个厂");
  });

  it("leaves a word the segmenter reads whole, though the documents write a homophone of its opening (旅行社 is not 履行社)", () => {
    expect(spelling.correct("我们开了一家旅行社").text).toBe("我们开了一家旅行社");
  });

  it("does not pair polyphones by a rare shared reading (说 and 兑 both read yue)", () => {
    expect(spelling.corrections("听说现在提倡")).toEqual([]);
  });
});
