import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
}

/** A local stand-in for the Slack Web API that records every call Bolt's client makes. */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  url = "";
  private server?: Server;
  private ts = 1000;

  async start(): Promise<this> {
    this.server = createServer(async (request, response) => {
      let raw = "";
      for await (const chunk of request) raw += chunk;
      const method = (request.url ?? "").replace(/^\/(api\/)?/, "").split("?")[0];
      const params: Record<string, unknown> = request.headers["content-type"]?.includes("json")
        ? JSON.parse(raw || "{}")
        : Object.fromEntries(new URLSearchParams(raw));
      for (const key of ["blocks", "prompts", "attachments"]) if (typeof params[key] === "string") params[key] = JSON.parse(params[key] as string);
      this.calls.push({ method, params });
      const base = { ok: true };
      const body =
        method === "auth.test"
          ? { ...base, user_id: "UBOT", bot_id: "BBOT", team_id: "T1", user: "policybot" }
          : method === "chat.postMessage"
            ? { ...base, channel: params.channel, ts: `${this.ts++}.000100`, message: { text: params.text } }
            : method === "conversations.replies"
              ? { ...base, messages: [] }
              : base;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<SlackCall[]> {
    const started = Date.now();
    while (this.of(method).length < count) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for ${count} ${method} call(s); saw ${this.calls.map((c) => c.method).join(", ")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.of(method);
  }
}
