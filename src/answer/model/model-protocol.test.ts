import { once } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../../../test/fake-openai.js";
import { SEEDS_DIR, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createRuntime, type Runtime } from "../../core/runtime.js";
import { BRIEF_NOTICE, MAX_ANSWER_TOKENS } from "./model-writer.js";

// The model path over the wire, against a fake OpenAI-compatible server: the request's body and key, SSE streams
// (finished, cut, stalled, capped), statuses and retries, timeouts, cancellation, the breaker, and embeddings.
// What the writer does with a reply is tested in process, against a mock model (model-writer and model-safety tests).
const fake = new FakeOpenAI();
let runtime: Runtime;
const QUESTION = "我的企业能减免多少检测费？";
const GOOD = "自治区产品质量监督检验研究院对中小微企业减免30%-50%的检验检测费用[1]。该措施实施期限为2023年5月1日至2023年8月31日，现已到期[1]。";

// Built once and reused: each test gets a fresh runtime, so no breaker state passes from one test to the next.
const INDEX_DIR = `${temporaryDirectory()}/index`;

async function runtimeWith(env: Record<string, string> = {}) {
  return createRuntime(
    loadConfig({
      DOCUMENTS_DIR: temporaryDirectory(),
      SEEDS_DIR,
      INDEX_DIR,
      AS_OF_DATE: TODAY,
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "test-key",
      CHAT_MODEL: "fake-chat",
      LLM_TIMEOUT_MS: "3000",
      ...env,
    }),
    silentLogger,
  );
}

beforeAll(async () => {
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  runtime = await runtimeWith();
  fake.queue.length = 0;
  fake.requests.length = 0;
  fake.embeddingsStatus = undefined;
});

describe("the request", () => {
  it("sends the key as a bearer token and the model, the cap and the messages in OpenAI's body", async () => {
    fake.queue.push({ kind: "reply", content: GOOD });
    const answer = await runtime.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.text).toContain("30%-50%");
    const [request, ...more] = fake.chatRequests();
    expect(more).toHaveLength(0);
    expect(request.authorization).toBe("Bearer test-key");
    expect(request.body).toMatchObject({ model: "fake-chat", max_tokens: MAX_ANSWER_TOKENS, temperature: 0 });
    expect(request.body.stream).toBeFalsy();
    const messages = request.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(messages[1].content).toContain("有效状态：已到期");
    expect(messages[1].content).toContain(QUESTION);
  });

  it("names the variable when a remote endpoint has no key", () => {
    expect(() => loadConfig({ ANSWERS: "llm", OPENAI_BASE_URL: "https://api.example.com/v1" })).toThrow(/OPENAI_API_KEY/);
  });
});

describe("streams over SSE", () => {
  it("joins the streamed chunks into the answer, a verified sentence at a time", async () => {
    fake.queue.push({ kind: "reply", content: GOOD });
    const tokens: string[] = [];
    const answer = await runtime.ask(QUESTION, [], { onToken: (t) => tokens.push(t) });
    expect(fake.chatRequests()[0].body.stream).toBe(true);
    expect(tokens).toEqual(GOOD.split(/(?<=。)/).filter(Boolean));
    expect(answer.text.startsWith(GOOD)).toBe(true);
    expect(answer.draftRejected).toBeUndefined();
  });

  it("rejects a stream cut off mid-sentence instead of serving it as finished", async () => {
    fake.queue.push({ kind: "cut", content: "可以减免[1]。但仅限小" });
    const tokens: string[] = [];
    const answer = await runtime.ask(QUESTION, [], { onToken: (t) => tokens.push(t) });
    expect(tokens.join("")).toBe("可以减免[1]。");
    expect(answer.mode).toBe("extractive");
    expect(answer.draftRejected).toBe(true);
    expect(answer.text).not.toContain("但仅限小");
    // Text was already shown: the request is not sent again.
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it("rejects a stalled stream when the time budget runs out", async () => {
    const quick = await runtimeWith({ LLM_TIMEOUT_MS: "400" });
    fake.queue.push({ kind: "stall", content: "可以减免[1]。但仅限小" });
    const answer = await quick.ask(QUESTION, [], { onToken: () => undefined });
    expect(answer.mode).toBe("extractive");
    expect(answer.draftRejected).toBe(true);
    expect(answer.text).not.toContain("但仅限小");
    expect(answer.text.startsWith(BRIEF_NOTICE)).toBe(true);
  });

  it("rejects a reply that stopped at the token cap, streamed or not", async () => {
    fake.queue.push({ kind: "unfinished", content: GOOD, finishReason: "length" });
    expect((await runtime.ask(QUESTION, [], { onToken: () => undefined })).mode).toBe("extractive");
    // Unstreamed, a cut-off reply is worth the retries: each gets cut off too.
    for (let i = 0; i < 3; i++) fake.queue.push({ kind: "unfinished", content: GOOD, finishReason: "length" });
    expect((await runtime.ask(QUESTION)).mode).toBe("extractive");
  });
});

describe("statuses, retries, timeouts and the breaker", () => {
  it("retries a 429 and a 500, then answers", async () => {
    fake.queue.push({ kind: "status", status: 429 }, { kind: "status", status: 500 }, { kind: "reply", content: GOOD });
    const answer = await runtime.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it("answers extractively within the timeout when the model is slow or malformed", async () => {
    const slow = await runtimeWith({ LLM_TIMEOUT_MS: "300" });
    fake.queue.push({ kind: "slow", delayMs: 2000, content: GOOD });
    const started = performance.now();
    const answer = await slow.ask(QUESTION);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(answer.mode).toBe("extractive");
    expect(answer.text.startsWith(BRIEF_NOTICE)).toBe(true);
    fake.queue.push({ kind: "malformed" }, { kind: "malformed" }, { kind: "malformed" });
    expect((await slow.ask(QUESTION)).mode).toBe("extractive");
  });

  it("holds the rewrite, the answer and the repair to one LLM_TIMEOUT_MS", async () => {
    const budget = await runtimeWith({ LLM_TIMEOUT_MS: "1000" });
    fake.queue.push(
      { kind: "slow", delayMs: 800, content: "哈密市农业非电网直供电终端用户执行什么电价？" },
      { kind: "slow", delayMs: 800, content: "电价为9.99元[1]。" },
      { kind: "slow", delayMs: 800, content: "电价为9.99元[1]。" },
    );
    const started = performance.now();
    const answer = await budget.ask("那农业用电呢？", [{ question: "哈密市居民用非电网直供电，电价是多少？" }]);
    // Each call alone fits in the budget; three in a row would take 2.4 s.
    expect(performance.now() - started).toBeLessThan(1600);
    expect(answer.mode).toBe("extractive");
  });

  it("cancels the model call when the asker goes away", { timeout: 4000 }, async () => {
    const patient = await runtimeWith({ LLM_TIMEOUT_MS: "20000" });
    fake.queue.push({ kind: "stall", content: "可以减免[1]。" });
    const asker = new AbortController();
    const requested = fake.nextRequest("/chat/completions");
    const closed = once(fake.events, "closed");
    const pending = patient.ask(QUESTION, [], { onToken: () => undefined, signal: asker.signal });
    await requested;
    asker.abort();
    await closed;
    expect((await pending).fallbackReason).toBe("cancelled");
  });

  it("opens the circuit while the endpoint is down and stops calling it", async () => {
    const down = await runtimeWith({ LLM_TIMEOUT_MS: "2000" });
    // Down is down for every call: the question rewrites and the judgement fail too.
    const replies = fake.purposes.map((p) => p.reply);
    for (const purpose of fake.purposes) purpose.reply = 503;
    try {
      for (let i = 0; i < 12; i++) fake.queue.push({ kind: "status", status: 503 });
      for (let i = 0; i < 3; i++) await down.ask(QUESTION);
      const calls = fake.requests.length;
      const answer = await down.ask(QUESTION);
      expect(fake.requests.length).toBe(calls);
      expect(answer.fallbackReason).toBe("circuit-open");
      expect(answer.text).toContain(BRIEF_NOTICE);
    } finally {
      fake.purposes.forEach((purpose, i) => {
        purpose.reply = replies[i];
      });
    }
  });
});

describe("embeddings over the wire", () => {
  it("builds the index through the fake server's /v1/embeddings when EMBEDDINGS=openai", async () => {
    const viaApi = await runtimeWith({
      EMBEDDINGS: "openai",
      EMBEDDING_MODEL: "fake-embed",
      ANSWERS: "extractive",
      INDEX_DIR: `${temporaryDirectory()}/index`,
    });
    expect(fake.requests.some((r) => r.path.endsWith("/embeddings") && r.body.model === "fake-embed")).toBe(true);
    expect(viaApi.knowledgeBase.index.manifest.embedder).toContain("openai:fake-embed");
    expect(viaApi.knowledgeBase.index.manifest.dimension).toBe(64);
    const answer = await viaApi.ask("公司刻章备案要多长时间？");
    expect(answer.text).toContain("1个工作日");
  });

  it("answers from keywords alone when the embeddings endpoint fails, and counts it", async () => {
    const viaApi = await runtimeWith({
      EMBEDDINGS: "openai",
      EMBEDDING_MODEL: "fake-embed",
      ANSWERS: "extractive",
      LLM_TIMEOUT_MS: "2000",
      INDEX_DIR: `${temporaryDirectory()}/index`,
    });
    fake.embeddingsStatus = 503;
    fake.requests.length = 0;
    const answer = await viaApi.ask("公司刻章备案要多长时间？");
    expect(answer.text).toContain("1个工作日");
    expect(viaApi.modelStats?.embeddingFallbacks).toBe(1);
    // Three tries, then the breaker spares later questions the wait.
    expect(fake.requests.filter((r) => r.path.endsWith("/embeddings"))).toHaveLength(3);
    for (let i = 0; i < 2; i++) await viaApi.ask("公司刻章备案要多长时间？");
    const calls = fake.requests.length;
    await viaApi.ask("公司刻章备案要多长时间？");
    expect(fake.requests.length).toBe(calls);
    expect(viaApi.modelStats?.embeddingFallbacks).toBe(4);
  });
});
