import { describe, expect, it } from "vitest";
import { verifyAnswer } from "../verify.js";

// The clauses the answers below cite: neither states any figure, contact or promise the attacks add.
const clauses = new Map([
  [1, "刻章备案的办理时限压缩至1个工作日。"],
  [2, "自治区产品质量监督检验研究院对中小微企业减免30%的检验检测费用，实施期限为2023年5月1日至2023年8月31日。"],
]);

/** Answers that were served as `mode: llm` (or saved as reviewed library answers) although no cited clause says what they add. */
const ATTACKS: Array<[string, string]> = [
  ["a fraction, a financial numeral and a lifetime promise", "可减免十分之九，最高补贴贰万元，终身有效[2]。"],
  ["减半", "检验检测费用减半征收[2]。"],
  ["a phone number in Han digits", "请拨打一三八零零一三八零零零咨询[2]。"],
  ["a WeChat handle and a .app domain", "请加微信 jianmian2023 或访问 jianmian.app 办理[2]。"],
  ["玖拾%", "可减免玖拾%的检验检测费用[2]。"],
  ["三分之二", "可减免三分之二的检验检测费用[2]。"],
  ["九十个百分点", "检验检测费率下调九十个百分点[2]。"],
  ["一半", "可减免一半的检验检测费用[2]。"],
  ["半价", "检验检测费用按半价收取[2]。"],
  ["全部减免", "检验检测费用全部减免[2]。"],
  ["免除全部费用", "对中小微企业免除全部费用[2]。"],
  ["均可", "各类企业均可申请减免检验检测费用[2]。"],
  ["确保", "确保申请后立即减免检验检测费用[2]。"],
  ["双倍", "检验检测费用减免额度双倍计算[2]。"],
  ["a domain written with [.]", "请访问 jianmian[.]com 申请减免[2]。"],
  ["a domain written with 点com", "请访问 jianmian点com 申请减免[2]。"],
  ["a .中国 domain", "请登录 减免申请.中国 办理[2]。"],
  ["a latin .中国 domain", "请登录 jianmian.中国 办理[2]。"],
  ["English number words (percent)", "可减免 ninety percent 的检验检测费用[2]。"],
  ["English number words (yuan)", "最高补贴 twenty thousand 元[2]。"],
  ["the library answer", "减免一半，最高补贴贰万元，请加微信 jl2023 办理[2]。"],
  ["a mobile number with hyphens", "请致电138-1234-5678咨询[2]。"],
  ["an e-mail address", "材料发送至 apply@subsidy.cn 即可[2]。"],
  ["a figure with another unit than the clause's", "每家企业补贴30元[2]。"],
];

/** Further forms found by probing the allow-list: each was served until a rule or a word in vocabulary.json caught it. */
const PROBES: Array<[string, string]> = [
  ["免收 (a waiver no clause states)", "检验检测费用免收[2]。"],
  ["终生", "补贴终生有效[2]。"],
  ["翻番", "补贴翻番[2]。"],
  ["上不封顶", "补贴上不封顶[2]。"],
  ["a bare number that is only a date's in the clause", "最高补贴31[2]。"],
  ["a year as a bare amount", "最高补贴2023[2]。"],
  ["a .中国 domain written with 。", "请访问减免。中国 办理[2]。"],
  ["a .中国 domain written with 点", "请访问减免点中国办理[2]。"],
  ["a homophone of 微信", "请加薇信 减免小助手[2]。"],
  ["circled and mathematical digits", "可减免⑨成，或𝟗𝟎%[2]。"],
  ["a Roman numeral", "可减免Ⅸ成[2]。"],
  ["a figure after the marker, in the same sentence", "减免30%[2]，最高可达百万元。"],
  ["numerals no rule reads", "可获得成倍补贴[2]。"],
];

describe("answers the issue listed, each adding what no cited clause says", () => {
  it.each(ATTACKS)("rejects %s", (_, answer) => {
    expect(verifyAnswer({ answer, clauses, supplied: "今天的日期：2026年11月27日" }).ok).toBe(false);
  });
});

describe("further forms found by probing", () => {
  it.each(PROBES)("rejects %s", (_, answer) => {
    expect(verifyAnswer({ answer, clauses, supplied: "今天的日期：2026年11月27日" }).ok).toBe(false);
  });
});
