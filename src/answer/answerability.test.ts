import { describe, expect, it } from "vitest";
import type { Concept } from "../search/query.js";
import type { SearchHit } from "../types.js";
import { judge, nearestTopic } from "./answerability.js";
import type { Topic } from "./question-topic.js";

const concept = (form: string, weight: number, known = true, topical = known): Concept => ({ forms: [form], weight, known, topical });
const hit = (measureId: string, score: number, coverage: number): SearchHit => ({ measureId, score, coverage, keywordScore: score, vectorScore: 0 });
const texts: Record<string, string> = {
  fee: "自治区计量测试研究院对民营小微企业送检的仪器设备减免30%的检验检测费",
  rest: "为暂时面临经营困难且有歇业意愿的市场主体做好歇业备案，3年之内可以随时恢复经营",
  other: "推广24小时自助服务",
  workshop: "推进食品小作坊园区建设，推动小作坊提档升级",
};
const textOf = (h: SearchHit) => texts[h.measureId];
const topic = (label: string, weight: number, absent = false, parts: string[][] = [[label]]): Topic => ({ label, parts, weight, absent });

describe("answerability", () => {
  it("answers when the best clause holds most of the question and rare words of it", () => {
    const concepts = [concept("计量", 3.5), concept("检验检测费", 3.7), concept("减免", 3.2)];
    const result = judge(concepts, [hit("fee", 1, 1), hit("other", 0.2, 0)], textOf);
    expect(result.decision).toBe("answer");
    expect(result.best?.measureId).toBe("fee");
    expect(result.evidence).toBeCloseTo(10.4);
  });

  it("judges a relief asked after the asker's account by the matter named, not by who asks", () => {
    const concepts = [concept("小作坊", 5.2), concept("检验检测费", 3.7), concept("减免", 3.2)];
    const hits = [hit("fee", 1, 0.6), hit("workshop", 0.9, 0.3)];
    const asked = "我们是个小作坊，做馕的，检验检测费能减免吗";
    const read = (ofAsker: boolean) => [{ ...topic("小作坊", 5.2), ofAsker }, topic("检验检测费", 3.7), topic("减免", 3.2)];
    expect(judge(concepts, hits, textOf, undefined, read(true), asked).decision).toBe("answer");
    // Read as the matter, no clause found gives 小作坊 a relief: the grant stands apart from it.
    const apart = judge(concepts, hits, textOf, undefined, read(false), asked);
    expect([apart.decision, apart.topic.absent?.label]).toEqual(["refuse", "小作坊的减免"]);
    // With nothing named beside who asks, who asks is what the relief is asked for.
    const alone = [{ ...topic("小作坊", 5.2), ofAsker: true }, topic("减免", 3.2)];
    expect(judge(concepts, hits, textOf, undefined, alone, "我们是个小作坊，能减免吗").decision).toBe("refuse");
  });

  it("refuses when only generic words match (2022年世界杯冠军是谁)", () => {
    const concepts = [concept("2022", 0.3), concept("世界杯", 5.9, false, false), concept("冠军", 5.9, false, false)];
    expect(judge(concepts, [hit("fee", 1, 0.33), hit("other", 0.9, 0.33)], textOf).decision).toBe("refuse");
  });

  it("refuses, rather than offering a near miss, when the topic no clause has is the question (房租减免)", () => {
    const concepts = [concept("房租", 5.9, false, true), concept("减免", 3.2)];
    const hits = [hit("fee", 1, 0.35), hit("other", 0.8, 0)];
    const result = judge(concepts, hits, textOf, undefined, [topic("房租", 5.9, true), topic("减免", 3.2)]);
    expect(result.missingTopic).toBeCloseTo(5.9);
    expect(result.topic.absent?.label).toBe("房租");
    expect(result.decision).toBe("refuse");
    // Without the topic reading the same evidence would be a low-confidence answer: the topic check decides.
    expect(judge(concepts, hits, textOf).decision).toBe("low");
  });

  it("keeps a near miss whose clause speaks of the topic in the low band", () => {
    const concepts = [concept("检验检测费", 3.7), concept("培训费", 5.9, false, true)];
    const hits = [hit("fee", 1, 0.4), hit("other", 0.8, 0)];
    expect(judge(concepts, hits, textOf, undefined, [topic("检验检测费", 3.7)]).decision).toBe("low");
    expect(judge(concepts, hits, textOf, undefined, [topic("歇业", 4.8)]).decision).toBe("refuse");
  });

  it("answers when the clause speaks of as much as the absent topic in things as specific (合作社 beside 原棉水分测定仪)", () => {
    const concepts = [concept("计量", 3.5), concept("检验检测费", 3.7), concept("减免", 3.2)];
    const hits = [hit("fee", 1, 1), hit("other", 0.2, 0)];
    const specific = [topic("小店", 5.9, true), topic("计量", 5), topic("仪器设备", 5, false, [["仪器"], ["设备"]])];
    expect(judge(concepts, hits, textOf, undefined, specific).decision).toBe("answer");
    // Common words held do not make up for it: 减免 and 计量 are less specific than the absent 退役军人.
    const common = [topic("退役军人", 5.9, true), topic("计量", 3.5), topic("减免", 3.2)];
    expect(judge(concepts, hits, textOf, undefined, common).decision).toBe("refuse");
  });

  it("names the nearest topic from an absent compound's part, else from the heading of the clause nearest the topic", () => {
    const clauses = ["确保财政补贴、税费减免、稳岗扩岗等惠企政策落实到位", "快速返还被骗款项"];
    const absent = topic("稳岗返还", 5.9, true, [["稳岗"], ["返还"]]);
    const hold = { topics: [absent], held: [], share: 0, nearest: 0, absent };
    expect(nearestTopic(hold, [], clauses)).toBe("稳岗扩岗");
    const rent = topic("房租", 5.9, true);
    const relief = topic("减免", 3.2);
    const found = [
      { text: "推广24小时自助服务", heading: "优化政务服务" },
      { text: texts.fee, heading: "强化技术帮扶" },
    ];
    expect(nearestTopic({ topics: [rent, relief], held: [relief], share: 0.35, nearest: 0, absent: rent }, found, clauses)).toBe("强化技术帮扶");
  });

  it("answers a long colloquial question when one clause stands far above the rest", () => {
    const concepts = [concept("歇业", 4.8), concept("超市", 4.8)];
    const clear = judge(concepts, [hit("rest", 1, 0.42), hit("other", 0.15, 0)], textOf);
    expect(clear.margin).toBeGreaterThan(0.8);
    expect(clear.decision).toBe("answer");
    const crowded = judge(concepts, [hit("rest", 1, 0.42), hit("other", 0.9, 0.42)], textOf);
    expect(crowded.decision).toBe("low");
  });
});
