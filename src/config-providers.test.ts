import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("model provider settings", () => {
  it("keeps the OpenAI defaults when nothing names a provider", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ llmProvider: "openai", embeddings: "local", answers: "extractive", embeddingModel: "text-embedding-3-small" });
    expect(config.openai.chatModel).toBe("gpt-4o-mini");
  });

  it("LLM_PROVIDER=ollama answers with the model, needs no key, and defaults its model and server", () => {
    const config = loadConfig({ LLM_PROVIDER: "ollama" });
    expect(config).toMatchObject({ llmProvider: "ollama", answers: "llm", ollama: { baseURL: "http://127.0.0.1:11434" } });
    expect(config.openai.chatModel).toBe("qwen2.5:7b");
    expect(loadConfig({ LLM_PROVIDER: "ollama", CHAT_MODEL: "deepseek-r1:14b" }).openai.chatModel).toBe("deepseek-r1:14b");
  });

  it("EMBEDDINGS_PROVIDER is the newer name of EMBEDDINGS, with bge-m3 as Ollama's default model; the two may not disagree", () => {
    expect(loadConfig({ EMBEDDINGS_PROVIDER: "ollama", OLLAMA_BASE_URL: "http://gpu-box:11434" })).toMatchObject({
      embeddings: "ollama",
      embeddingModel: "bge-m3",
      ollama: { baseURL: "http://gpu-box:11434" },
    });
    expect(loadConfig({ EMBEDDINGS: "ollama" }).embeddings).toBe("ollama");
    expect(() => loadConfig({ EMBEDDINGS: "openai", EMBEDDINGS_PROVIDER: "ollama", OPENAI_API_KEY: "k" })).toThrow(/disagree/);
    expect(() => loadConfig({ OLLAMA_BASE_URL: "gpu-box" })).toThrow(/OLLAMA_BASE_URL: must be an http/);
  });

  it("still asks for an OpenAI key when OpenAI embeds, whoever answers", () => {
    expect(() => loadConfig({ LLM_PROVIDER: "ollama", EMBEDDINGS_PROVIDER: "openai" })).toThrow(/EMBEDDINGS=openai needs OPENAI_API_KEY/);
  });
});
