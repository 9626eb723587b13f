import { once } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOllama } from "../../../test/fake-ollama.js";
import { silentLogger, temporaryDirectory, testSettings } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime } from "../../core/runtime.js";
import { APICallError, ModelResponseError, ModelTimeoutError } from "../../errors.js";
import { BRIEF_NOTICE } from "./model-writer.js";
import { OllamaChatModel } from "./ollama-chat-model.js";
import { ResilientChatModel } from "./resilient.js";

const fake = new FakeOllama();
const QUESTION = "我的企业能减免多少检测费？";
const GOOD = "自治区产品质量监督检验研究院对中小微企业减免30%-50%的检验检测费用[1]。该措施实施期限为2023年5月1日至2023年8月31日，现已到期[1]。";
const messages = [
  { role: "system" as const, content: "只依据条款回答。" },
  { role: "user" as const, content: "检测费能减免多少？" },
];

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.queue.length = 0;
  fake.requests.length = 0;
});

const model = () => new OllamaChatModel({ model: "qwen2.5:7b", baseURL: fake.url });

describe("OllamaChatModel against a fake Ollama server (/api/chat, NDJSON)", () => {
  it("streams the reply token by token and sends the model, the messages and temperature 0", async () => {
    fake.queue.push({ kind: "reply", content: GOOD });
    const tokens: string[] = [];
    const text = await model().complete({ messages, onToken: (t) => tokens.push(t) });
    expect(text).toBe(GOOD);
    expect(tokens.join("")).toBe(GOOD);
    expect(tokens.length).toBeGreaterThan(1);
    const [request] = fake.chatRequests();
    expect(request.body).toMatchObject({ model: "qwen2.5:7b", stream: true, options: { temperature: 0 } });
    expect(request.body.messages).toEqual(messages);
  });

  it("turns a 500 into a retryable APICallError with its status, sent once", async () => {
    fake.queue.push({ kind: "status", status: 500 });
    const error = await model()
      .complete({ messages })
      .catch((e) => e);
    expect(error).toBeInstanceOf(APICallError);
    expect(error).toMatchObject({ statusCode: 500, isRetryable: true });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it("refuses a reply cut by num_predict as incomplete", async () => {
    fake.queue.push({ kind: "unfinished", content: "自治区产品质量", doneReason: "length" });
    await expect(model().complete({ messages })).rejects.toBeInstanceOf(ModelResponseError);
  });

  it("cuts a stalled stream at the deadline and closes the connection", async () => {
    fake.queue.push({ kind: "stall", content: "自治区产品质量监督" });
    const resilient = new ResilientChatModel(model(), { timeoutMs: 300, retries: 0 });
    const closed = once(fake.events, "stalled");
    const started = performance.now();
    await expect(resilient.complete({ messages, onToken: () => {} })).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(performance.now() - started).toBeLessThan(2_000);
    await closed;
  });
});

async function ollamaRuntime(env: Record<string, string> = {}) {
  const dir = temporaryDirectory();
  return createRuntime(
    loadConfig({
      ...testSettings(dir),
      LLM_PROVIDER: "ollama",
      EMBEDDINGS_PROVIDER: "ollama",
      OLLAMA_BASE_URL: fake.url,
      LLM_TIMEOUT_MS: "1500",
      ...env,
    }),
    silentLogger,
  );
}

describe("LLM_PROVIDER=ollama and EMBEDDINGS_PROVIDER=ollama: the whole answer path", () => {
  it("answers with the model, verified, with vectors from /api/embed", async () => {
    const runtime = await ollamaRuntime();
    expect(fake.requests.some((r) => r.path === "/api/embed" && r.body.model === "bge-m3")).toBe(true);
    fake.queue.push({ kind: "reply", content: GOOD });
    const answer = await runtime.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.text.startsWith(GOOD)).toBe(true);
    expect(answer.citations[0]).toMatchObject({ docNumber: "新市监机〔2023〕83号", status: "ended" });
    expect(fake.chatRequests()[0].body.model).toBe("qwen2.5:7b");
  });

  it("has the verifier judge an Ollama answer as it judges any: an invented figure is repaired or dropped", async () => {
    const runtime = await ollamaRuntime();
    fake.queue.push({ kind: "reply", content: "可减免80%的检验检测费用[1]。" }, { kind: "reply", content: "可减免90%[1]。" });
    const answer = await runtime.ask(QUESTION);
    expect(answer.mode).toBe("extractive");
    expect(answer.fallbackReason).toBe("verification-failed");
    expect(answer.text).not.toMatch(/80%|90%/);
    expect(answer.text).toContain("30%-50%");
  });

  it("answers extractively within the deadline when the stream stalls, and cuts the stalled connection", async () => {
    const runtime = await ollamaRuntime({ LLM_TIMEOUT_MS: "1000" });
    fake.queue.push({ kind: "stall", content: "自治区产品质量监督" });
    const closed = once(fake.events, "stalled");
    const started = performance.now();
    const answer = await runtime.ask(QUESTION);
    // The deadline bounds the wait; the margin is for a loaded machine, a stall without the deadline never ends.
    expect(performance.now() - started).toBeLessThan(6_000);
    expect(answer.mode).toBe("extractive");
    expect(answer.text.startsWith(BRIEF_NOTICE)).toBe(true);
    await closed;
  });

  it("counts 500s in the breaker, falls back to the extractive answer, and stops calling while it is open", async () => {
    const runtime = await ollamaRuntime({ LLM_TIMEOUT_MS: "3000" });
    const replies = fake.purposes.map((p) => p.reply);
    for (const purpose of fake.purposes) purpose.reply = 500;
    try {
      for (let i = 0; i < 12; i++) fake.queue.push({ kind: "status", status: 500 });
      const first = await runtime.ask(QUESTION);
      expect(first.mode).toBe("extractive");
      expect(first.text).toContain("30%-50%");
      for (let i = 0; i < 2; i++) await runtime.ask(QUESTION);
      const calls = fake.requests.filter((r) => r.path === "/api/chat").length;
      const answer = await runtime.ask(QUESTION);
      expect(fake.requests.filter((r) => r.path === "/api/chat").length).toBe(calls);
      expect(answer.fallbackReason).toBe("circuit-open");
      expect(answer.text).toContain(BRIEF_NOTICE);
    } finally {
      fake.purposes.forEach((purpose, i) => {
        purpose.reply = replies[i];
      });
    }
  });
});
