import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../types.js";
import { renderMessages, TOO_LONG_LINE } from "./render.js";

const citation = (marker: number, status: Citation["status"] = "active"): Citation => ({
  marker,
  kind: "measure",
  documentId: `doc-${marker}`,
  text: "条款原文",
  document: `文件${marker}全称`,
  docNumber: `新政发〔2023〕${marker}号`,
  issuer: "自治区人民政府",
  region: "新疆维吾尔自治区",
  path: "二、（五）",
  pages: [3],
  score: 1,
  status,
});

function answer(parts: Partial<Answer>): Answer {
  const body = parts.body ?? "检验检测费用减免30%-50%[1]。";
  return {
    text: "the full rendering, which WeChat never splits",
    body,
    notices: [],
    outcome: "answered",
    refused: false,
    confidence: "answer",
    citations: [citation(1, "ended"), citation(2)],
    suggestions: [],
    mode: "extractive",
    resolvedQuestion: "检测费",
    ...parts,
  };
}

const titles = new Map([["doc-1", "短标题一"]]);
const limits = { maxChars: 1500, maxParts: 5 };

describe("WeChat rendering from the answer's parts", () => {
  it("puts the body, then its notices, then 【依据】 with one line a clause", () => {
    const messages = renderMessages(answer({ notices: [{ kind: "validity", text: "该措施已到期。" }] }), titles, limits);
    expect(messages).toEqual([
      "检验检测费用减免30%-50%[1]。\n该措施已到期。\n\n【依据】\n1. 《短标题一》（新政发〔2023〕1号） 二、（五） 已到期\n2. 《文件2全称》（新政发〔2023〕2号） 二、（五）",
    ]);
  });

  it("gives a refusal its suggestions and no sources", () => {
    const refusal = answer({ body: "知识库中没有找到相关政策。", refused: true, confidence: "refuse", citations: [], suggestions: ["检测费能减免多少？"] });
    const [message, ...rest] = renderMessages(refusal, titles, limits);
    expect(rest).toEqual([]);
    expect(message).toContain("您可以试着问：“检测费能减免多少？”");
    expect(message).not.toContain("【依据】");
  });

  it("caps a very long answer at five messages, says it was cut, and still sends the sources", () => {
    // The size that once became 46 messages.
    const body = "根据文件规定，符合条件的小微企业可以申请减免检验检测费用，具体比例以当地公布为准[1]。".repeat(1600);
    expect(body.length).toBeGreaterThan(67_000);
    const messages = renderMessages(answer({ body }), titles, limits);
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(1500);
    expect(messages[0]).toMatch(/^根据文件规定/);
    expect(messages).toContain(TOO_LONG_LINE);
    expect(messages.at(-1)).toMatch(/^【依据】\n1\. 《短标题一》/);
  });

  it("leaves an answer that fits in five messages whole", () => {
    const body = "符合条件的企业可以申请减免[1]。".repeat(250);
    const messages = renderMessages(answer({ body }), titles, limits);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(messages).not.toContain(TOO_LONG_LINE);
    expect(messages.join("").replace(/\s/g, "")).toContain(body);
  });
});
