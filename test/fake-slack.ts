import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SignedPostOptions {
  contentType?: string;
  /** Seconds the signature's timestamp lies in the past (an old or replayed request). */
  age?: number;
  headers?: Record<string, string>;
}

/** POSTs `body` to a Bolt app the way Slack does: signed with `secret` (v0 HMAC of the timestamp and the body). */
export function postSignedBySlack(
  url: string,
  secret: string,
  body: string,
  { contentType = "application/json", age = 0, headers = {} }: SignedPostOptions = {},
) {
  const timestamp = String(Math.floor(Date.now() / 1000) - age);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature, ...headers },
    body,
  });
}

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
}

/**
 * A local stand-in for the Slack Web API that records every call Bolt's
 * client makes, in the order Slack would apply them. `delayMs` holds a call
 * back before it is applied, as a slow Slack would.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  url = "";
  delayMs: (call: SlackCall) => number = () => 0;
  private readonly events = new EventEmitter();
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
      const call = { method, params };
      const delay = this.delayMs(call);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      this.calls.push(call);
      this.events.emit("call");
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

  of(method: string, where: (params: Record<string, unknown>) => boolean = () => true): SlackCall[] {
    return this.calls.filter((c) => c.method === method && where(c.params));
  }

  /** Resolves with the matching calls once there are `count` of them; rejects after `timeoutMs`, naming what was seen. */
  waitFor(
    method: string,
    { count = 1, where, timeoutMs = 10_000 }: { count?: number; where?: (params: Record<string, unknown>) => boolean; timeoutMs?: number } = {},
  ) {
    return new Promise<SlackCall[]>((resolve, reject) => {
      const check = () => {
        const found = this.of(method, where);
        if (found.length < count) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${count} ${method} call(s); saw ${this.calls.map((c) => c.method).join(", ")}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off("call", check);
      };
      this.events.on("call", check);
      check();
    });
  }
}
