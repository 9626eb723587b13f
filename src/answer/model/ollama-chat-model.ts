import { ChatOllama } from "@langchain/ollama";
import { ModelResponseError } from "../../errors.js";
import { fetchWithSignal, toOllamaError } from "../../ollama-error.js";
import type { ChatModel, ChatRequest } from "./chat-model.js";

export interface OllamaChatModelOptions {
  model: string;
  /** The Ollama server, e.g. http://127.0.0.1:11434 (OLLAMA_BASE_URL). */
  baseURL: string;
  /** Default reply cap in tokens (Ollama's num_predict). */
  maxTokens?: number;
}

/**
 * A chat model on an Ollama server (Qwen, DeepSeek … on a GPU box in an air-gapped centre), through
 * LangChain's ChatOllama. LangChain's retries are off: the caller wraps this in ResilientChatModel, whose one
 * deadline and breaker see every failure, as they do for the OpenAI-compatible model.
 */
export class OllamaChatModel implements ChatModel {
  readonly id: string;

  constructor(private readonly options: OllamaChatModelOptions) {
    this.id = `ollama:${options.model}`;
  }

  async complete({ messages, signal, maxTokens = this.options.maxTokens, onToken }: ChatRequest): Promise<string> {
    // One client per call: its fetch carries this call's signal, so a stalled stream is cut at the deadline.
    const chat = new ChatOllama({
      model: this.options.model,
      baseUrl: this.options.baseURL,
      maxRetries: 0,
      temperature: 0,
      numPredict: maxTokens,
      fetch: fetchWithSignal(signal),
    });
    const stream = await chat
      .stream(
        messages.map(({ role, content }): [string, string] => [role, content]),
        { signal },
      )
      .catch((error) => Promise.reject(toOllamaError(error)));
    const chunks = stream[Symbol.asyncIterator]();
    let text = "";
    let doneReason: string | undefined;
    for (;;) {
      const next = await chunks.next().catch((error) => Promise.reject(toOllamaError(error)));
      if (next.done) break;
      const reason = next.value.response_metadata?.done_reason;
      if (typeof reason === "string") doneReason = reason;
      const token = typeof next.value.content === "string" ? next.value.content : "";
      if (token) {
        text += token;
        // Outside the error translation: a failure in the caller's handler is the caller's bug, not the endpoint's.
        onToken?.(token);
      }
    }
    // "length" (num_predict reached) or no final line: the reply is partial, and a partial answer is not sent.
    if (doneReason !== "stop") throw new ModelResponseError("incomplete", `Ollama's stream ended without finishing (done_reason: ${doneReason ?? "none"})`);
    return text;
  }
}
