import { createHash } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server does with the next chat request. */
export type ChatBehaviour =
  | { kind: "reply"; content: string }
  | { kind: "status"; status: number }
  | { kind: "slow"; delayMs: number; content: string }
  | { kind: "malformed" }
  /** Streams the content, then closes the connection without a finish_reason, as a dropped link does. */
  | { kind: "cut"; content: string }
  /** Streams the content, then sends nothing more and keeps the connection open. */
  | { kind: "stall"; content: string }
  /** Streams the content and ends properly, but with this finish_reason ("length": the token cap was hit). */
  | { kind: "unfinished"; content: string; finishReason: string };

interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  chunks?: string[];
  delayMs?: number;
  /** How a streamed body ends: properly, by destroying the socket, or not at all. */
  ending?: "end" | "cut" | "stall";
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  authorization?: string;
  /** True when the request was answered by purpose (a rewrite or a judgement), not from the queue. */
  purpose?: boolean;
}

/**
 * A local OpenAI-compatible server speaking the real protocol over HTTP:
 * /v1/chat/completions (JSON and SSE streaming) and /v1/embeddings. Tests
 * queue behaviours; when the queue is empty it answers with `fallbackReply`.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  readonly queue: ChatBehaviour[] = [];
  fallbackReply = "（未设定）[1]";
  /**
   * Replies by purpose, recognised from the prompt, that do not take from the
   * queue: the question rewrites and the answerability judgement run before the
   * answer, and tests of the answer should not have to queue for them. Empty
   * replies mean "no rewrites" and "no opinion"; a number answers with that status.
   */
  readonly purposes: Array<{ prompt: RegExp; reply: string | number }> = [
    { prompt: /改写成政策文件里的说法/, reply: "" },
    { prompt: /请判断下面编号的政策条款能否回答提问/, reply: "" },
  ];
  embeddingDimension = 64;
  /** While set, /v1/embeddings answers with this status. */
  embeddingsStatus: number | undefined;
  /** Emits "request" for each request received and "closed" when a chat connection closes before its reply ended. */
  readonly events = new EventEmitter();
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      response.on("close", () => {
        if (!response.writableFinished) this.events.emit("closed", request.url);
      });
      this.handle(request).then(
        ({ status, headers, body, chunks, delayMs, ending = "end" }) => {
          const send = () => {
            response.writeHead(status, headers);
            if (chunks) {
              for (const chunk of chunks) response.write(chunk);
              if (ending === "end") response.end();
              // Lets the chunks leave before the socket goes, so the client sees a body cut mid-stream.
              else if (ending === "cut") setTimeout(() => response.destroy(), 50).unref();
            } else response.end(body);
          };
          if (delayMs) setTimeout(send, delayMs).unref();
          else send();
        },
        () => {
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves when the next request for a path ending in `suffix` arrives. */
  async nextRequest(suffix: string): Promise<void> {
    for (;;) {
      const [path] = (await once(this.events, "request")) as [string];
      if (path.endsWith(suffix)) return;
    }
  }

  /** Chat requests for answers (and rewrites of follow-ups), without the requests answered by purpose. */
  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions") && !r.purpose);
  }

  private async handle(request: IncomingMessage): Promise<FakeResponse> {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = request.url ?? "";
    const prompt = JSON.stringify(body.messages ?? "");
    const purpose = this.purposes.find((p) => p.prompt.test(prompt));
    this.requests.push({ path, body, authorization: request.headers.authorization, purpose: purpose !== undefined });
    // Requests by purpose are announced apart, so a test waiting for the answer's request is not woken by them.
    this.events.emit("request", purpose ? `${path}#purpose` : path);
    const json = (status: number, value: unknown) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) });

    if (path.endsWith("/embeddings")) {
      if (this.embeddingsStatus) return json(this.embeddingsStatus, { error: { message: `fake ${this.embeddingsStatus}`, type: "fake" } });
      const inputs = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
      // The openai SDK asks for base64 by default, as the real API allows; answer in the format asked.
      const encode = (v: number[]) => (body.encoding_format === "base64" ? Buffer.from(Float32Array.from(v).buffer).toString("base64") : v);
      const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: encode(this.vector(String(text))) }));
      return json(200, { object: "list", data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
    }
    if (!path.endsWith("/chat/completions")) return json(404, { error: { message: "not found" } });

    const purposeBehaviour: ChatBehaviour | undefined =
      purpose === undefined
        ? undefined
        : typeof purpose.reply === "number"
          ? { kind: "status", status: purpose.reply }
          : { kind: "reply", content: purpose.reply };
    const behaviour = purposeBehaviour ?? this.queue.shift() ?? { kind: "reply", content: this.fallbackReply };
    if (behaviour.kind === "status") return json(behaviour.status, { error: { message: `fake ${behaviour.status}`, type: "fake" } });
    if (behaviour.kind === "malformed") return { status: 200, headers: { "content-type": "application/json" }, body: "{not json" };
    const content = behaviour.content;
    const delayMs = behaviour.kind === "slow" ? behaviour.delayMs : 0;
    const ending = behaviour.kind === "cut" ? "cut" : behaviour.kind === "stall" ? "stall" : "end";
    const finishReason = behaviour.kind === "unfinished" ? behaviour.finishReason : "stop";
    if (body.stream) {
      const pieces = content.match(/.{1,4}/gsu) ?? [];
      const chunks = pieces.map(
        (piece, i) =>
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: i === 0 ? { role: "assistant", content: piece } : { content: piece }, finish_reason: null }] })}\n\n`,
      );
      if (ending === "end")
        chunks.push(
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`,
          "data: [DONE]\n\n",
        );
      return { status: 200, headers: { "content-type": "text/event-stream" }, chunks, delayMs, ending };
    }
    return {
      ...json(200, {
        id: "c1",
        object: "chat.completion",
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
      delayMs,
    };
  }

  /** Deterministic vectors from hashed character bigrams, so similar texts are near. */
  private vector(text: string): number[] {
    const v = new Array(this.embeddingDimension).fill(0);
    for (let i = 0; i + 1 < text.length; i++) {
      const h = createHash("md5")
        .update(text.slice(i, i + 2))
        .digest();
      v[h[0] % this.embeddingDimension] += 1;
    }
    return v;
  }
}
