import OpenAI from "openai";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  signal?: AbortSignal;
  /** Called with each piece of text as it arrives, when the caller can show it. */
  onToken?: (token: string) => void;
}

/** A chat model behind any OpenAI-compatible /v1/chat/completions endpoint. */
export interface ChatModel {
  readonly id: string;
  complete(request: ChatRequest): Promise<string>;
}

export class ModelHttpError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "ModelHttpError";
  }

  /** 429 and 5xx are worth a retry; 4xx are not; network errors are. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export interface OpenAIChatModelOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIChatModelOptions) {
    this.id = `openai:${options.model}`;
    // Retries and timeouts are ours (resilient.ts), so the breaker sees every failure.
    this.client = new OpenAI({ apiKey: options.apiKey || "not-needed", baseURL: options.baseURL, maxRetries: 0, timeout: 600_000 });
  }

  async complete({ messages, signal, onToken }: ChatRequest): Promise<string> {
    try {
      if (!onToken) {
        const response = await this.client.chat.completions.create({ model: this.options.model, messages, temperature: 0 }, { signal });
        const content = response.choices?.[0]?.message?.content;
        if (typeof content !== "string") throw new ModelHttpError(undefined, "the model's response had no message content");
        return content;
      }
      const stream = await this.client.chat.completions.create({ model: this.options.model, messages, temperature: 0, stream: true }, { signal });
      let text = "";
      for await (const chunk of stream) {
        const token = chunk.choices?.[0]?.delta?.content;
        if (token) {
          text += token;
          onToken(token);
        }
      }
      return text;
    } catch (error) {
      if (error instanceof ModelHttpError) throw error;
      if (error instanceof OpenAI.APIError)
        throw new ModelHttpError(error.status, `model endpoint answered ${error.status ?? "with an error"}: ${error.message}`);
      throw new ModelHttpError(undefined, `model request failed: ${(error as Error).message}`);
    }
  }
}
