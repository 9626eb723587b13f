import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake server does with the next /api/chat request. */
export type OllamaBehaviour =
  | { kind: "reply"; content: string }
  | { kind: "status"; status: number }
  /** Streams the content, then sends nothing more and keeps the connection open. */
  | { kind: "stall"; content: string }
  /** Streams the content and ends properly, but with this done_reason ("length": num_predict was reached). */
  | { kind: "unfinished"; content: string; doneReason: string };

export interface OllamaRequest {
  path: string;
  body: Record<string, unknown>;
  /** Answered by purpose (a question rewrite or a relevance judgement), not from the queue. */
  purpose: boolean;
}

/**
 * A local Ollama server speaking the real protocol over HTTP: /api/chat as NDJSON lines (the last one
 * `done: true` with its `done_reason`) and /api/embed. Tests queue behaviours; an empty queue answers
 * `fallbackReply`.
 */
export class FakeOllama {
  readonly requests: OllamaRequest[] = [];
  readonly queue: OllamaBehaviour[] = [];
  fallbackReply = "（未设定）[1]";
  /** Replies by purpose, recognised from the prompt, that do not take from the queue (as in fake-openai.ts). */
  readonly purposes: Array<{ prompt: RegExp; reply: string | number }> = [
    { prompt: /改写成政策文件里的说法/, reply: "" },
    { prompt: /请判断下面编号的政策条款能否回答提问/, reply: "" },
  ];
  embeddingDimension = 64;
  /** While set, /api/embed answers with this status. */
  embeddingsStatus: number | undefined;
  /** Emits "stalled" when a stalled chat response's connection is closed by the client. */
  readonly events = new EventEmitter();
  url = "";
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.writeHead(500).end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Chat requests for answers, without those answered by purpose. */
  chatRequests(): OllamaRequest[] {
    return this.requests.filter((r) => r.path === "/api/chat" && !r.purpose);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = request.url ?? "";
    const purpose = this.purposes.find((p) => p.prompt.test(JSON.stringify(body.messages ?? "")));
    this.requests.push({ path, body, purpose: purpose !== undefined });
    const json = (status: number, value: unknown): void => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };

    if (path === "/api/embed") {
      if (this.embeddingsStatus) return json(this.embeddingsStatus, { error: `fake ${this.embeddingsStatus}` });
      const inputs = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
      return json(200, { model: body.model, embeddings: inputs.map((text) => this.vector(String(text))) });
    }
    if (path !== "/api/chat") return json(404, { error: "404 page not found" });

    const behaviour: OllamaBehaviour =
      purpose === undefined
        ? (this.queue.shift() ?? { kind: "reply", content: this.fallbackReply })
        : typeof purpose.reply === "number"
          ? { kind: "status", status: purpose.reply }
          : { kind: "reply", content: purpose.reply };
    if (behaviour.kind === "status") return json(behaviour.status, { error: `fake ${behaviour.status}` });
    const line = (value: object) => `${JSON.stringify({ model: body.model, created_at: "2026-11-27T00:00:00Z", ...value })}\n`;
    response.writeHead(200, { "content-type": "application/x-ndjson" });
    for (const piece of behaviour.content.match(/.{1,4}/gsu) ?? []) response.write(line({ message: { role: "assistant", content: piece }, done: false }));
    if (behaviour.kind === "stall") {
      response.on("close", () => this.events.emit("stalled"));
      return;
    }
    const doneReason = behaviour.kind === "unfinished" ? behaviour.doneReason : "stop";
    response.end(line({ message: { role: "assistant", content: "" }, done: true, done_reason: doneReason, eval_count: 1, prompt_eval_count: 1 }));
  }

  /** Deterministic vectors from hashed character bigrams, so similar texts are near. */
  private vector(text: string): number[] {
    const v = new Array(this.embeddingDimension).fill(0);
    for (let i = 0; i + 1 < text.length; i++) {
      const bucket =
        createHash("md5")
          .update(text.slice(i, i + 2))
          .digest()[0] % this.embeddingDimension;
      v[bucket] += 1;
    }
    return v;
  }
}
