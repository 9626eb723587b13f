import { Resilience, type ResilienceOptions } from "../../resilience.js";
import type { ChatModel, ChatRequest } from "./chat-model.js";

export type { ResilienceOptions } from "../../resilience.js";

/** A chat model behind the shared resilience policy: one deadline, retries, a circuit breaker. */
export class ResilientChatModel implements ChatModel {
  readonly id: string;
  private readonly resilience: Resilience;

  constructor(
    private readonly inner: ChatModel,
    options: ResilienceOptions,
  ) {
    this.id = inner.id;
    this.resilience = new Resilience({ endpoint: "the chat model endpoint", ...options });
  }

  get open(): boolean {
    return this.resilience.open;
  }

  complete(request: ChatRequest): Promise<string> {
    const { onToken } = request;
    return this.resilience.run(
      ({ signal, markStreamed }) =>
        this.inner.complete({
          ...request,
          signal,
          onToken: onToken
            ? (token) => {
                markStreamed();
                onToken(token);
              }
            : undefined,
        }),
      request.signal,
    );
  }
}
