import { randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Logger } from "pino";
import { namedConversations } from "../../../conversation/conversations.js";
import type { Ask } from "../../../core/ask.js";
import { createDispatcher, type DispatchResult, type Intercept } from "../../../core/dispatch.js";
import { AppError } from "../../../errors.js";
import type { Channel, RecordedTurn, Store } from "../../../store/sqlite-store.js";
import type { Answer } from "../../../types.js";
import type { HttpEnv } from "../env.js";
import { hangUpSignal } from "../hang-up.js";
import { AnswerSchema, AskQuery, AskRequest, errorResponse, jsonContent } from "../schemas.js";

export interface AskRoutesOptions {
  ask: Ask;
  store: Store;
  logger?: Logger;
  /** Curated example questions, for 帮助 and 你好. */
  examples: readonly string[] | (() => readonly string[]);
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
}

type AskInput = z.infer<typeof AskRequest>;

/** The JSON answer: the structured parts for rendering, `answer` for clients that show one text. */
export function answerResponse(answer: Answer, recorded: Partial<RecordedTurn> & { stored: boolean }): z.infer<typeof AnswerSchema> {
  return {
    ...(recorded.stored ? { answerId: recorded.answerId } : {}),
    conversationId: recorded.conversationId,
    stored: recorded.stored,
    answer: answer.text,
    body: answer.body,
    notices: answer.notices,
    outcome: answer.outcome,
    confidence: answer.confidence,
    refused: answer.refused,
    refusalReason: answer.refusal?.reason ?? null,
    suggestions: answer.suggestions,
    citations: answer.citations,
    mode: answer.mode,
    draftRejected: answer.draftRejected ?? false,
    promptVersion: answer.promptVersion,
    ...(answer.libraryEntryId ? { libraryEntryId: answer.libraryEntryId } : {}),
  };
}

const sseContent = { "text/event-stream": { schema: z.string() } };
const streamDescription =
  "Server-sent events: `token` events carry verified text as it is written (only with a model); then exactly one `answer` event " +
  "(the Answer; `draftRejected: true` tells the client to replace what it showed) or one `error` event ({error}). Nothing follows either.";

const routes = {
  ask: createRoute({
    method: "post",
    path: "/api/ask",
    summary: "Ask a question",
    request: { body: { content: { "application/json": { schema: AskRequest } }, required: true } },
    responses: {
      200: jsonContent(AnswerSchema, "The answer"),
      400: errorResponse("Invalid input, naming the field"),
      415: errorResponse("Not JSON"),
      429: errorResponse("Too many requests (see Retry-After)"),
    },
  }),
  streamPost: createRoute({
    method: "post",
    path: "/api/ask/stream",
    summary: "Ask, answered as server-sent events",
    request: { body: { content: { "application/json": { schema: AskRequest } }, required: true } },
    responses: { 200: { content: sseContent, description: streamDescription }, 400: errorResponse("Invalid input") },
  }),
  streamGet: createRoute({
    method: "get",
    path: "/api/ask/stream",
    summary: "Ask by URL (EventSource), answered as server-sent events; stores nothing, so the answer cannot be rated",
    request: { query: AskQuery },
    responses: {
      200: { content: sseContent, description: streamDescription },
      400: errorResponse("Invalid input"),
      431: { description: "The URL is too long: POST the question instead" },
    },
  }),
};

/** What the API sends for one dispatch result, but the conversation id, which is the caller's own. */
export type AnswerBody = Omit<z.infer<typeof AnswerSchema>, "conversationId">;

/**
 * The HTTP channel's rendering: an answer as JSON with its parts; a fixed reply (帮助, 你好, 重新开始) in the
 * answer's shape, so a client shows it as it shows an answer, and an empty one for silence (HTTP always
 * answers); the apology as `{ error }`, which the routes send with the status the error calls for.
 */
export function renderJson(result: DispatchResult): AnswerBody | { error: string } {
  return result.kind === "failed" ? { error: result.text } : answerBody(result);
}

function answerBody(result: Exclude<DispatchResult, { kind: "failed" }>): AnswerBody {
  if (result.kind !== "answer") return replyResponse(result.kind === "reply" ? result.text : "");
  const { conversationId: _, ...body } = answerResponse(result.answer, { ...result.recorded, stored: result.recorded?.stored ?? false });
  return body;
}

function replyResponse(text: string): AnswerBody {
  return {
    stored: false,
    answer: text,
    body: text,
    notices: [],
    outcome: "answered",
    confidence: "answer",
    refused: false,
    refusalReason: null,
    suggestions: [],
    citations: [],
    mode: "extractive",
    draftRejected: false,
  };
}

export function registerAskRoutes(app: OpenAPIHono<HttpEnv>, { ask, store, logger, examples, intercepts }: AskRoutesOptions): void {
  const dispatch = createDispatcher({ ask, store, conversations: namedConversations(), examples, intercepts, logger });

  /** GET and HEAD store nothing: a link or a prefetch must not write. */
  async function answer(input: AskInput, channel: Channel | undefined, onToken?: (token: string) => void, signal?: AbortSignal) {
    // The caller's id is namespaced by channel, so it can never name a Slack thread's or a WeChat user's conversation.
    const conversationId = input.conversationId ?? randomUUID();
    const stored = input.channel ?? channel ?? "web";
    const result = await dispatch(
      { text: input.question },
      {
        channel: stored,
        userId: conversationId,
        conversationKey: `${stored}:${conversationId}`,
        onToken,
        signal,
        record: channel !== undefined,
        newConversation: input.conversationId === undefined,
      },
    );
    if (result.kind === "failed") throw result.error;
    return { conversationId, ...answerBody(result) };
  }
  function stream(c: Context<HttpEnv>, input: AskInput, channel: Channel | undefined) {
    // Once the answer or an error is sent, a late token from the writer is dropped: nothing follows the end.
    const state = { open: true };
    let writes: Promise<void> = Promise.resolve();
    return streamSSE(
      c,
      async (sse) => {
        // The asker closing the stream cancels the model call: nobody is waiting for its answer.
        const cancel = new AbortController();
        sse.onAbort(() => {
          state.open = false;
          cancel.abort();
        });
        const send = (event: string, data: unknown) => {
          writes = writes.then(() => sse.writeSSE({ event, data: JSON.stringify(data) }));
          return writes;
        };
        const result = await answer(
          input,
          channel,
          (token) => {
            if (state.open) void send("token", token).catch(() => undefined);
          },
          cancel.signal,
        );
        state.open = false;
        await writes.catch(() => undefined);
        await sse.writeSSE({ event: "answer", data: JSON.stringify(result) });
      },
      async (error, sse) => {
        state.open = false;
        logger?.error({ err: error, path: c.req.path }, "streamed answer failed");
        await writes.catch(() => undefined);
        await sse.writeSSE({ event: "error", data: JSON.stringify({ error: AppError.wrap(error).userMessage }) });
        // Hono writes the raw error message after this handler; a closed stream keeps it from the client.
        await sse.close();
      },
    );
  }

  // The asker hanging up cancels the model call, as closing a stream does.
  app.openapi(routes.ask, async (c) => c.json(await answer(c.req.valid("json"), "api", undefined, hangUpSignal(c)), 200));
  app.openapi(routes.streamPost, (c) => stream(c, c.req.valid("json"), "web"));
  app.openapi(routes.streamGet, (c) => stream(c, c.req.valid("query"), undefined));
}
