import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server does with the next chat request. */
export type ChatBehaviour =
  | { kind: "reply"; content: string }
  | { kind: "status"; status: number }
  | { kind: "slow"; delayMs: number; content: string }
  | { kind: "malformed" };

interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  chunks?: string[];
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  authorization?: string;
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
  embeddingDimension = 64;
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request).then(
        ({ status, headers, body, chunks, delayMs }) => {
          const send = () => {
            response.writeHead(status, headers);
            if (chunks) {
              for (const chunk of chunks) response.write(chunk);
              response.end();
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

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions"));
  }

  private async handle(request: IncomingMessage): Promise<FakeResponse> {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = request.url ?? "";
    this.requests.push({ path, body, authorization: request.headers.authorization });
    const json = (status: number, value: unknown) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) });

    if (path.endsWith("/embeddings")) {
      const inputs = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
      // The openai SDK asks for base64 by default, as the real API allows; answer in the format asked.
      const encode = (v: number[]) => (body.encoding_format === "base64" ? Buffer.from(Float32Array.from(v).buffer).toString("base64") : v);
      const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: encode(this.vector(String(text))) }));
      return json(200, { object: "list", data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
    }
    if (!path.endsWith("/chat/completions")) return json(404, { error: { message: "not found" } });

    const behaviour = this.queue.shift() ?? { kind: "reply", content: this.fallbackReply };
    if (behaviour.kind === "status") return json(behaviour.status, { error: { message: `fake ${behaviour.status}`, type: "fake" } });
    if (behaviour.kind === "malformed") return { status: 200, headers: { "content-type": "application/json" }, body: "{not json" };
    const content = behaviour.content;
    const delayMs = behaviour.kind === "slow" ? behaviour.delayMs : 0;
    if (body.stream) {
      const pieces = content.match(/.{1,4}/gsu) ?? [];
      const chunks = pieces.map(
        (piece, i) =>
          `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: i === 0 ? { role: "assistant", content: piece } : { content: piece }, finish_reason: null }] })}\n\n`,
      );
      chunks.push(
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
        "data: [DONE]\n\n",
      );
      return { status: 200, headers: { "content-type": "text/event-stream" }, chunks, delayMs };
    }
    return {
      ...json(200, {
        id: "c1",
        object: "chat.completion",
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
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
