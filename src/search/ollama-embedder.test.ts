import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOllama } from "../../test/fake-ollama.js";
import { APICallError, CircuitOpenError } from "../errors.js";
import { OllamaEmbedder } from "./ollama-embedder.js";

const fake = new FakeOllama();
beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.embeddingsStatus = undefined;
});

const embedder = (failures: unknown[] = []) =>
  new OllamaEmbedder({ model: "bge-m3", baseURL: fake.url, resilience: { timeoutMs: 2_000, retries: 0 }, onFailure: (e) => failures.push(e) });

describe("OllamaEmbedder against a fake Ollama server (/api/embed)", () => {
  it("embeds in batches into unit vectors and learns the dimension", async () => {
    const subject = embedder();
    const texts = Array.from({ length: 70 }, (_, i) => `检验检测费用减免第${i}条`);
    const vectors = await subject.embed(texts);
    expect(vectors).toHaveLength(70);
    expect(subject.dimension).toBe(64);
    expect(Math.hypot(...vectors[0])).toBeCloseTo(1, 5);
    const calls = fake.requests.filter((r) => r.path === "/api/embed");
    expect(calls.map((r) => (r.body.input as string[]).length)).toEqual([64, 6]);
    expect(calls[0].body.model).toBe("bge-m3");
  });

  it("sends a failing call once (LangChain's retries are off), reports it, and the breaker opens after three", async () => {
    fake.embeddingsStatus = 500;
    const failures: unknown[] = [];
    const subject = embedder(failures);
    for (let i = 0; i < 3; i++) await expect(subject.embed(["检测费"])).rejects.toBeInstanceOf(APICallError);
    expect(fake.requests).toHaveLength(3);
    await expect(subject.embed(["检测费"])).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fake.requests).toHaveLength(3);
    expect(failures).toHaveLength(4);
  });
});
