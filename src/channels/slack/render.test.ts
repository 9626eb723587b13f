import { describe, expect, it } from "vitest";
import { fakeAnswer } from "../../../test/fake-answer.js";
import type { Answer, Citation } from "../../types.js";
import { answerBlocks, answerText, BLOCK_LIMIT } from "./render.js";

const citation = (marker: number): Citation => ({
  marker,
  kind: "measure",
  measureId: `m${marker}`,
  documentId: "d1",
  text: "条款原文",
  document: "某文件",
  issuer: "某部门",
  region: "新疆维吾尔自治区",
  path: `（${marker}）`,
  pages: [1],
  score: 1,
  status: "active",
});

const answer = (parts: Partial<Answer>): Answer => fakeAnswer({ text: "", body: "", ...parts });

describe("answerBlocks", () => {
  it("stays within Slack's 50 blocks for a long answer with many citations, and keeps the feedback buttons last", () => {
    const citations = Array.from({ length: 30 }, (_, i) => citation(i + 1));
    const body = citations.map((c) => `第${c.marker}条措施的内容。`.repeat(40)).join("\n");
    const blocks = answerBlocks(answer({ body, citations }), "answer-1", new Map());
    expect(blocks.length).toBe(BLOCK_LIMIT);
    expect(blocks.at(-1)?.block_id).toBe("feedback");
  });
});

describe("escaping", () => {
  it("neutralises Slack's control sequences in the text and in the blocks", () => {
    const hostile = answer({ body: "<!channel> <@U123> 见 <http://evil.example|这里> & 更多[1]。", citations: [citation(1)] });
    const rendered = JSON.stringify([answerText(hostile), answerBlocks(hostile, "a", new Map())]);
    for (const control of ["<!channel>", "<@U123>", "<http"]) expect(rendered).not.toContain(control);
    expect(answerText(hostile)).toContain("&lt;!channel&gt; &lt;@U123&gt;");
    expect(answerText(hostile)).toContain("&amp; 更多");
  });
});
