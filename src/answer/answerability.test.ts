import { describe, expect, it } from "vitest";
import type { Concept } from "../search/query.js";
import type { SearchHit } from "../types.js";
import { judge } from "./answerability.js";

const concept = (form: string, weight: number, known = true, topical = known): Concept => ({ forms: [form], weight, known, topical });
const hit = (measureId: string, score: number, coverage: number): SearchHit => ({ measureId, score, coverage, keywordScore: score, vectorScore: 0 });
const texts: Record<string, string> = {
  fee: "自治区计量测试研究院对民营小微企业送检的仪器设备减免30%的检验检测费",
  rest: "为暂时面临经营困难且有歇业意愿的市场主体做好歇业备案，3年之内可以随时恢复经营",
  other: "推广24小时自助服务",
};
const textOf = (h: SearchHit) => texts[h.measureId];

describe("answerability", () => {
  it("answers when the best clause holds most of the question and rare words of it", () => {
    const concepts = [concept("计量", 3.5), concept("检验检测费", 3.7), concept("减免", 3.2)];
    const result = judge(concepts, [hit("fee", 1, 1), hit("other", 0.2, 0)], textOf);
    expect(result.decision).toBe("answer");
    expect(result.best?.measureId).toBe("fee");
    expect(result.evidence).toBeCloseTo(10.4);
  });

  it("refuses when only generic words match (2022年世界杯冠军是谁)", () => {
    const concepts = [concept("2022", 0.3), concept("世界杯", 5.9, false, false), concept("冠军", 5.9, false, false)];
    expect(judge(concepts, [hit("fee", 1, 0.33), hit("other", 0.9, 0.33)], textOf).decision).toBe("refuse");
  });

  it("offers the nearest clause with low confidence when a topic word no clause has is asked (房租减免)", () => {
    const concepts = [concept("房租", 5.9, false, true), concept("减免", 3.2)];
    const result = judge(concepts, [hit("fee", 1, 0.35), hit("other", 0.8, 0)], textOf);
    expect(result.missingTopic).toBeCloseTo(5.9);
    expect(result.decision).toBe("low");
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
