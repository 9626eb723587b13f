import type { Answer } from "../src/types.js";

/** An answer as `ask` returns it, for channel tests that need no knowledge base; `overrides` pick the case under test. */
export function fakeAnswer(overrides: Partial<Answer> = {}): Answer {
  return {
    text: "可以减免[1]。\n\n依据：[1] 某文件",
    body: "可以减免[1]。",
    notices: [],
    outcome: "answered",
    refused: false,
    confidence: "answer",
    citations: [],
    suggestions: [],
    mode: "extractive",
    resolvedQuestion: "问",
    ...overrides,
  };
}
