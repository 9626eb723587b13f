import { describe, expect, it } from "vitest";
import type { Concept } from "../search/query.js";
import { findCompounds, headingName, phraseAround, readTopics, speaksOf, type TopicSource } from "./question-topic.js";

const concept = (forms: string[], weight: number, known = true): Concept => ({ forms, weight, known, topical: true });
const source = (clauses: string[], documentTerms: string[] = [], askers: string[] = []): TopicSource => ({
  clauses,
  documentTerms: new Set(documentTerms),
  namesAsker: (word) => askers.includes(word),
});

describe("compounds", () => {
  it.each([
    ["稳岗返还今年还能申请吗", ["稳岗", "返还"]],
    ["一次性扩岗补助今年还能申请吗", ["扩岗", "补助"]],
    ["“天山惠企贷”要什么条件才能申请", ["天山", "惠企", "贷"]],
    ["摊位费和物业费能不能减免", ["摊位", "费"]],
  ])("reads %s with its compound whole", (question, parts) => {
    expect(findCompounds(question)).toContainEqual(parts);
  });

  it.each(["电诈被骗的钱能返还吗", "申请补贴要什么材料", "领补贴", "涉企乱收费怎么整治", "口罩送检是免费的吗"])(
    "finds no named kind where a verb, not a name, stands before the head: %s",
    (question) => {
      expect(findCompounds(question)).toEqual([]);
    },
  );

  it("is spoken of whole or by its parts in order a few characters apart, never by one part alone", () => {
    expect(speaksOf({ label: "财政贴息", parts: [["财政"], ["贴息"]] }, "免担保贷款，财政给予适当贴息")).toBe(true);
    expect(speaksOf({ label: "稳岗返还", parts: [["稳岗"], ["返还"]] }, "快速冻结、止付，快速返还被骗款项")).toBe(false);
    expect(speaksOf({ label: "稳岗补贴", parts: [["稳岗"], ["补贴"]] }, "确保财政补贴、税费减免、稳岗扩岗等惠企政策落实到位")).toBe(false);
  });
});

describe("topics", () => {
  it("stops counting the clauses of a topic once it is too common to be one", () => {
    // 10,000 clauses of 车辆过路费: every one speaks of the compound, so it is the setting, not a topic.
    const many = Array.from({ length: 10_000 }, (_, i) => `第${i}条 车辆过路费减免`);
    let read = 0;
    const counting = new Proxy(many, {
      get: (target, key, receiver) => {
        if (/^\d+$/.test(String(key))) read++;
        return Reflect.get(target, key, receiver);
      },
    });
    const topics = readTopics("车辆过路费太高了", [concept(["车辆"], 0.2), concept(["过路费"], 0.2)], source(counting));
    expect(topics.find((t) => t.label.includes("过路费"))).toBeUndefined();
    expect(read).toBeLessThan(2_000);
  });

  const clauses = ["确保财政补贴、税费减免、稳岗扩岗等惠企政策落实到位", "快速返还被骗款项", "破产职工安置", "减免30%-50%的检验检测费用"];

  it("reads a compound no clause names as absent, and leaves out its parts", () => {
    const topics = readTopics("稳岗返还今年还能申请吗", [concept(["返还"], 4.8)], source(clauses));
    expect(topics.map((t) => [t.label, t.absent])).toEqual([["稳岗返还", true]]);
  });

  it("joins words the segmenter cut from one thesaurus phrase, so the compound carries that phrase's forms", () => {
    // One clause in many speaks of it: rare enough to be a topic.
    const road = ["对整车合法装载运输鲜活农产品车辆免收车辆通行费", ...Array.from({ length: 12 }, () => clauses).flat()];
    const topics = readTopics("车辆过路费太高了", [concept(["车辆"], 3.5), concept(["过路费", "车辆通行费", "通行费"], 4.5)], source(road));
    expect(topics.find((t) => t.label === "车辆过路费")).toMatchObject({ absent: false, parts: [["车辆"], ["过路费", "车辆通行费", "通行费"]] });
  });

  it("reads a word the documents would write but never do as absent, whatever looser alternative the thesaurus offers", () => {
    const topics = readTopics("招用退役军人", [concept(["退役军人", "退役士兵", "安置"], 4.3)], source(clauses, ["退役军人"]));
    expect(topics).toMatchObject([{ label: "退役军人", absent: true }]);
    const synonym = readTopics("检验检测费用", [concept(["检验检测费用", "检测费"], 4.3)], source(clauses, ["检验检测费用"]));
    expect(synonym).toMatchObject([{ absent: false }]);
  });

  it("counts a word naming the kind of asker (合作社) as who asks, not as an absent topic", () => {
    const concepts = [concept(["合作社"], 5.9, false), concept(["检验检测费用"], 4.3)];
    expect(readTopics("我们合作社的检验检测费用", concepts, source(clauses, [], ["合作社"])).map((t) => t.label)).toEqual(["检验检测费用"]);
    expect(readTopics("我们合作社的检验检测费用", concepts, source(clauses)).map((t) => t.label)).toContain("合作社");
  });

  it("reads a missing measure from the nouns of a phrase no clause has, not from what the caller does", () => {
    const unknown = (phrase: string) => [concept([phrase], 5.9, false)];
    expect(readTopics("交房租", unknown("交房租"), source(clauses)).map((t) => [t.label, t.absent])).toEqual([["房租", true]]);
    expect(readTopics("物业费", unknown("物业费"), source(clauses)).map((t) => t.label)).toEqual(["物业费"]);
    // 网上办税 and 出报告 say how the caller would do it; the documents word that otherwise (全程网办, 出具).
    expect(readTopics("网上办税", unknown("网上办税"), source([...clauses, "提升办税缴费服务水平"]))).toEqual([]);
    expect(readTopics("出报告", unknown("出报告"), source([...clauses, "中介机构出具评估报告"]))).toEqual([]);
  });

  it("marks the topics of the asker's account of themselves, told before what they ask", () => {
    const told = { ...source(["推进食品小作坊园区建设", ...clauses]), tellsOfAsker: (text: string) => /^我们是/.test(text) };
    const concepts = [concept(["小作坊"], 5.2), concept(["检验检测费用"], 4.3)];
    const topics = readTopics("我们是个小作坊，做馕的，检验检测费用能减免吗", concepts, told);
    expect(topics.map((t) => [t.label, t.ofAsker ?? false])).toEqual([
      ["小作坊", true],
      ["检验检测费用", false],
    ]);
    // All account and no other piece: what the asker says of themselves is the question.
    expect(readTopics("我们是小作坊能减免检验检测费用吗", concepts, told).some((t) => t.ofAsker)).toBe(false);
  });

  it("never takes a word to ask with (做法, 区别) as a topic, though a clause writes it", () => {
    const written = source(["总结推广好的经验做法", ...clauses]);
    expect(readTopics("双随机监管的做法", [concept(["双随机"], 4), concept(["做法"], 4.3)], written).map((t) => t.label)).toEqual(["双随机"]);
  });

  it("never takes a pronoun or a determiner (各种, 其他) as a topic, though a clause writes it and it is rare", () => {
    const written = source(["规范各种证明材料", "其他事项", ...clauses]);
    const topics = readTopics("办事要开各种证明，其他地方也要", [concept(["证明"], 4), concept(["各种"], 4.3), concept(["其他"], 4.3)], written);
    expect(topics.map((t) => t.label)).toEqual(["证明"]);
  });

  it("leaves common words out of the topic", () => {
    expect(readTopics("减免", [concept(["减免"], 1.2)], source(clauses))).toEqual([]);
  });
});

describe("naming the nearest topic", () => {
  it("takes the words around a form between list marks, or nothing when they run long", () => {
    expect(phraseAround("稳岗", "确保财政补贴、税费减免、稳岗扩岗等惠企政策落实到位")).toBe("稳岗扩岗");
    expect(phraseAround("减免", "鼓励银行机构对小微企业金融服务收费予以适当减免")).toBeUndefined();
  });

  it("takes a heading without its outline marker and after its first clause", () => {
    expect(headingName("（七）发挥金融贷款工具作用")).toBe("发挥金融贷款工具作用");
    expect(headingName("二、强化技术帮扶，大力减轻市场主体负担")).toBe("强化技术帮扶");
    expect(headingName(undefined)).toBeUndefined();
  });
});
