import OpenAI from "openai";
import type { Config } from "../../config.js";
import { ModelResponseError } from "../../errors.js";
import { toModelError } from "../../openai-error.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  signal?: AbortSignal;
  /** The most tokens the reply may have; the model's default cap when not given. */
  maxTokens?: number;
  /** Called with each piece of text as it arrives, when the caller can show it. */
  onToken?: (token: string) => void;
}

/** A chat model behind any OpenAI-compatible /v1/chat/completions endpoint. */
export interface ChatModel {
  readonly id: string;
  complete(request: ChatRequest): Promise<string>;
}

export interface OpenAIChatModelOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  /** Default reply cap in tokens, so a runaway reply costs neither money nor a user's wait. */
  maxTokens?: number;
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIChatModelOptions) {
    this.id = `openai:${options.model}`;
    // Retries and timeouts are ours (resilience.ts), so the breaker sees every failure.
    this.client = new OpenAI({ apiKey: options.apiKey || "not-needed", baseURL: options.baseURL, maxRetries: 0, timeout: 600_000 });
  }

  async complete({ messages, signal, maxTokens = this.options.maxTokens, onToken }: ChatRequest): Promise<string> {
    const body = { model: this.options.model, messages, temperature: 0, ...(maxTokens ? { max_tokens: maxTokens } : {}) };
    if (!onToken) {
      const response = await this.client.chat.completions.create(body, { signal }).catch((error) => Promise.reject(toModelError(error)));
      const choice = response.choices?.[0];
      if (typeof choice?.message?.content !== "string") throw new ModelResponseError("malformed", "the model's response had no message content");
      // Some gateways leave finish_reason out of whole replies; only an explicit cut-off is refused.
      if (choice.finish_reason && choice.finish_reason !== "stop")
        throw new ModelResponseError("incomplete", `the model stopped early (finish_reason: ${choice.finish_reason})`);
      return choice.message.content;
    }
    const stream = await this.client.chat.completions.create({ ...body, stream: true }, { signal }).catch((error) => Promise.reject(toModelError(error)));
    const chunks = stream[Symbol.asyncIterator]();
    let text = "";
    let finishReason: string | null | undefined;
    try {
      for (;;) {
        const next = await chunks.next().catch((error) => Promise.reject(toModelError(error)));
        if (next.done) break;
        const choice = next.value.choices?.[0];
        finishReason = choice?.finish_reason ?? finishReason;
        const token = choice?.delta?.content;
        if (token) {
          text += token;
          // Outside the SDK's error translation: a failure in the caller's handler is the caller's bug, not the endpoint's.
          onToken(token);
        }
      }
    } finally {
      if (finishReason === undefined) stream.controller.abort();
    }
    // A stream that stops without "stop" (cut connection, token limit, filter) holds a partial answer.
    if (finishReason !== "stop")
      throw new ModelResponseError("incomplete", `the model's stream ended without finishing (finish_reason: ${finishReason ?? "none"})`);
    return text;
  }
}

/** Which chat model answers (LLM_PROVIDER) and where. */
export interface ChatModelChoice {
  provider: "openai" | "ollama";
  model: string;
  apiKey?: string;
  /** The OpenAI-compatible base URL, or the Ollama server for `ollama`. */
  baseURL?: string;
}

/** The chat model for a provider; Ollama's client (LangChain) is loaded only when it is chosen. */
export async function createChatModel({ provider, model, apiKey, baseURL }: ChatModelChoice): Promise<ChatModel> {
  if (provider === "openai") return new OpenAIChatModel({ model, apiKey, baseURL });
  const { OllamaChatModel } = await import("./ollama-chat-model.js");
  return new OllamaChatModel({ model, baseURL: baseURL ?? "http://127.0.0.1:11434" });
}

/** The chat model the configuration names: LLM_PROVIDER, CHAT_MODEL, and the OpenAI endpoint or OLLAMA_BASE_URL. */
export function configuredChatModel({ llmProvider, openai, ollama }: Pick<Config, "llmProvider" | "openai" | "ollama">): Promise<ChatModel> {
  const { apiKey, baseURL, chatModel } = openai;
  return createChatModel({ provider: llmProvider, model: chatModel, apiKey, baseURL: llmProvider === "ollama" ? ollama.baseURL : baseURL });
}
