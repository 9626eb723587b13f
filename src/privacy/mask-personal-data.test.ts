import { describe, expect, it } from "vitest";
import { maskPersonalData } from "./mask-personal-data.js";

describe("maskPersonalData", () => {
  it.each([
    ["我的身份证号是65010219900307123X，能办吗", "我的身份证号是[身份证号]，能办吗"],
    ["身份证650102199003071234", "身份证[身份证号]"],
    ["手机13812345678请回电", "手机[手机号]请回电"],
    ["电话 +86 138-1234-5678", "电话 [手机号]"],
    ["座机0991-2345678或(010)87654321", "座机[电话]或[电话]"],
    ["卡号6222 0212 3456 7890 123", "卡号[银行卡号]"],
    ["银行卡6228480402564890018", "银行卡[银行卡号]"],
  ])("masks %s", (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each(["拨打12345政务服务便民热线", "新政办发〔2023〕5号是什么文件？", "2023-05-10之前减免30%至50%，最高20000000元", "检测费减免1个工作日内办结"])(
    "leaves ordinary numbers alone: %s",
    (text) => {
      expect(maskPersonalData(text)).toBe(text);
    },
  );
});

describe("maskPersonalData in other digits", () => {
  it.each([
    ["手机１３８１２３４５６７８请回电", "手机[手机号]请回电"],
    ["手机1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8", "手机[手机号]"],
    ["打我电话一三八一二三四五六七八", "打我电话[手机号]"],
    ["幺三八 幺二三四 五六七八", "[手机号]"],
    ["身份证六五〇一〇二一九九〇〇三〇七一二三X", "身份证[身份证号]"],
    ["卡号陆贰贰捌肆捌零肆零贰伍陆肆捌玖零零壹捌", "卡号[银行卡号]"],
  ])("masks %s", (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each(["第一条 第二款", "三十个工作日内办结，一二三类企业均可", "两个工作日，最高补贴五十万元", "一九九〇年以来的文件"])(
    "leaves Han numerals in ordinary text alone: %s",
    (text) => {
      expect(maskPersonalData(text)).toBe(text);
    },
  );
});
