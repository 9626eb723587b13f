import type { ChatModel, ChatRequest } from "../src/answer/model/chat-model.js";
import { ModelCancelledError } from "../src/errors.js";

/** What the mock answers one request with: the text, or an error to throw (an APICallError for a status). */
export type MockReply = string | Error;

/**
 * A chat model in process that records every call and answers from a
 * function, as vercel/ai's MockLanguageModel: model-path tests run in
 * milliseconds. Keep the fake HTTP server (test/fake-openai.ts) for the tests
 * that are about the protocol (streaming over SSE, statuses, timeouts).
 */
export class MockChatModel implements ChatModel {
  readonly id = "mock:chat";
  /** Every request, oldest first. */
  readonly calls: ChatRequest[] = [];

  constructor(private readonly reply: (request: ChatRequest) => MockReply | Promise<MockReply>) {}

  /** The text of a call's messages, for assertions on what was sent. */
  static textOf(request: ChatRequest): string {
    return request.messages.map((m) => m.content).join("\n");
  }

  async complete(request: ChatRequest): Promise<string> {
    this.calls.push(request);
    if (request.signal?.aborted) throw new ModelCancelledError();
    const reply = await this.reply(request);
    if (reply instanceof Error) throw reply;
    // Streamed in pieces of four characters when the caller listens, as the fake server streams over SSE, so code
    // that joins tokens into sentences is exercised.
    if (request.onToken) for (const piece of reply.match(/.{1,4}/gsu) ?? []) request.onToken(piece);
    return reply;
  }
}

/** Replies chosen by what the prompt asks (the first pattern its text matches), else `fallback`. */
export function replyByPrompt(replies: Array<[RegExp, () => MockReply]>, fallback: () => MockReply = () => "") {
  return (request: ChatRequest): MockReply => {
    const text = MockChatModel.textOf(request);
    return (replies.find(([pattern]) => pattern.test(text))?.[1] ?? fallback)();
  };
}
