import { describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { seedAsk } from "../../test/helpers.js";
import type { Citation } from "../types.js";
import { shortAnswer, WECHAT_TEXT_BYTES } from "./short-answer.js";

const LINK = "https://policy.example.cn/a/Zx3kQ0pLr8uTnVb2WcYd1A";
const citation = (marker: number, document: string, docNumber?: string) => ({ marker, document, docNumber }) as Citation;
const sentencesOf = (text: string) =>
  text
    .split(/(?<=[。！？；])/u)
    .map((s) => s.replace(/\[\d+\]/g, "").trim())
    .filter(Boolean);

describe("a short answer for one passive reply", () => {
  it("keeps whole sentences with their figures, names the cited documents with 文号, fits 2,048 bytes and links the full answer", () => {
    const body = Array.from({ length: 40 }, (_, i) => `第${i + 1}项措施对小微企业减免检测费${i + 10}%，办理时限压缩至${i + 1}个工作日[${(i % 2) + 1}]。`).join(
      "",
    );
    const answer = fakeAnswer({
      body,
      citations: [citation(1, "关于进一步优化营商环境的若干措施", "新政办发〔2023〕5号"), citation(2, "哈密市纾困措施", "哈政办发〔2023〕14号")],
    });
    const reply = shortAnswer(answer, LINK);
    expect(Buffer.byteLength(reply)).toBeLessThanOrEqual(WECHAT_TEXT_BYTES);
    expect(reply.endsWith(LINK)).toBe(true);
    expect(reply).toContain("新政办发〔2023〕5号");
    expect(reply).toContain("哈政办发〔2023〕14号");
    const lead = reply.split("\n")[0];
    const whole = sentencesOf(body);
    const kept = sentencesOf(lead);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(whole.length);
    for (const sentence of kept) expect(whole).toContain(sentence);
    expect(lead).not.toMatch(/\[\d+\]/);
  });

  it("a real answer from the seed: its lead and 文号 within the limit", async () => {
    const ask = await seedAsk();
    const answer = await ask("企业食堂的餐饮许可证多久能办下来");
    const reply = shortAnswer(answer, LINK);
    expect(Buffer.byteLength(reply)).toBeLessThanOrEqual(WECHAT_TEXT_BYTES);
    expect(reply).toContain(answer.citations.find((c) => c.docNumber)?.docNumber ?? "依据");
    expect(reply).toContain(LINK);
  });

  it("a short answer is given whole; without a link, none is promised", () => {
    const answer = fakeAnswer({ body: "刻章备案的办理时限压缩至1个工作日[1]。", citations: [citation(1, "营商环境措施", "新政办发〔2023〕5号")] });
    expect(shortAnswer(answer, undefined)).toBe("刻章备案的办理时限压缩至1个工作日。\n依据：《营商环境措施》（新政办发〔2023〕5号）");
  });
});
