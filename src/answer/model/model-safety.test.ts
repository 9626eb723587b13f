import { once } from "node:events";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../../../test/fake-openai.js";
import { SEEDS_DIR, seedKnowledgeBase, silentLogger, TODAY, temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import { createAsk } from "../../core/ask.js";
import { createRuntime, type Runtime } from "../../core/runtime.js";
import { OpenAIChatModel } from "./chat-model.js";
import { BRIEF_NOTICE, createModelWriter, MAX_ANSWER_TOKENS, newModelStats } from "./model-writer.js";
import { loadPrompts } from "./prompts.js";

// What the model path must never let through: unverified drafts, unfinished streams, runaway replies, waits past the budget.
const fake = new FakeOpenAI();
let runtime: Runtime;
const QUESTION = "我的企业能减免多少检测费？";
const FIRST = "自治区产品质量监督检验研究院对中小微企业减免30%-50%的检验检测费用[1]。";
const GOOD = `${FIRST}该措施实施期限为2023年5月1日至2023年8月31日，现已到期[1]。`;

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

describe("only verified text leaves the model path", () => {
  it("streams the verified first sentence, holds back an invented figure, and marks the draft rejected", async () => {
    fake.queue.push({ kind: "reply", content: `${FIRST}另可再减免90%[1]。` }, { kind: "reply", content: GOOD });
    const tokens: string[] = [];
    const answer = await runtime.ask(QUESTION, [], { onToken: (t) => tokens.push(t) });
    expect(tokens.join("")).toBe(FIRST);
    expect(answer.mode).toBe("llm");
    expect(answer.draftRejected).toBe(true);
    expect(answer.text).not.toContain("90%");
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

describe("limits", () => {
  it("caps the reply in tokens on the request and in characters on what comes back", async () => {
    const long = FIRST.repeat(60);
    fake.queue.push({ kind: "reply", content: long });
    const answer = await runtime.ask(QUESTION);
    expect(fake.chatRequests()[0].body.max_tokens).toBe(MAX_ANSWER_TOKENS);
    expect(answer.mode).toBe("extractive");
    expect(answer.fallbackReason).toBe("too-long");
    expect(answer.text.length).toBeLessThan(long.length);
    expect(answer.text).not.toContain(BRIEF_NOTICE);

    fake.queue.push({ kind: "reply", content: long });
    const streamed = await runtime.ask(QUESTION, [], { onToken: () => undefined });
    expect(streamed.fallbackReason).toBe("too-long");
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
});

describe("guards the model path adds", () => {
  it("says that a cited measure has ended when the model did not", async () => {
    fake.queue.push({ kind: "reply", content: FIRST });
    const answer = await runtime.ask(QUESTION);
    expect(answer.mode).toBe("llm");
    expect(answer.body).toMatch(/注意：\[1\].*2023年8月31日/);
  });

  it("reports a bug in verification as a bug, with its stack, and still answers", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const logged: Array<{ level: number; msg: string; err?: { stack?: string } }> = [];
    const logger = pino(
      { level: "warn" },
      new Writable({
        write(chunk, _, done) {
          logged.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const stats = newModelStats();
    const writer = createModelWriter({
      model: new OpenAIChatModel({ model: "fake-chat", baseURL: fake.url }),
      prompts: loadPrompts(new URL("../../../prompts", import.meta.url).pathname),
      today: () => TODAY,
      logger,
      stats,
      verify: () => {
        throw new TypeError("verifier bug");
      },
    });
    fake.queue.push({ kind: "reply", content: GOOD });
    const answer = await createAsk({ knowledgeBase, today: () => TODAY, writer })(QUESTION);
    expect(answer.fallbackReason).toBe("internal-error");
    expect(answer.text).not.toContain(BRIEF_NOTICE);
    expect(stats).toMatchObject({ internalErrors: 1, fallbacks: 1 });
    const error = logged.find((line) => line.level >= 50);
    expect(error?.err?.stack).toContain("verifier bug");
  });
});

describe("embeddings through the same resilience", () => {
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
