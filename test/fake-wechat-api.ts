import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface WechatApiCall {
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  /** A send the fake accepted (errcode 0). */
  delivered?: boolean;
}

type Reply = { status?: number; body: unknown };

/**
 * A local stand-in for the WeChat APIs a 公众号 and a 企业微信 application call:
 * tokens (/cgi-bin/token, /cgi-bin/gettoken), customer-service messages
 * (/cgi-bin/message/custom/send) and application messages (/cgi-bin/message/send).
 * It checks credentials and tokens as the platform does, records every call,
 * and can expire tokens or fail the next calls to a path.
 */
export class FakeWechatApi {
  readonly calls: WechatApiCall[] = [];
  url = "";
  private server?: Server;
  private issued = 0;
  private readonly valid = new Set<string>();
  private readonly expired = new Set<string>();
  private readonly failures = new Map<string, Reply[]>();

  constructor(readonly credentials: { appId: string; appSecret: string; corpId: string; corpSecret: string }) {}

  async start(): Promise<this> {
    this.server = createServer(async (request, response) => {
      let raw = "";
      for await (const chunk of request) raw += chunk;
      const url = new URL(request.url ?? "/", "http://fake");
      const call: WechatApiCall = { path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw ? JSON.parse(raw) : undefined };
      this.calls.push(call);
      const reply = this.failures.get(call.path)?.shift() ?? this.reply(call);
      response
        .writeHead(reply.status ?? 200, { "content-type": "application/json" })
        .end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Every token issued so far now gets 42001 (access_token expired). */
  expireTokens(): void {
    for (const token of this.valid) this.expired.add(token);
    this.valid.clear();
  }

  /** The next calls to `path` get these replies, in order, before the normal ones resume. */
  failNext(path: string, ...replies: Reply[]): void {
    this.failures.set(path, [...(this.failures.get(path) ?? []), ...replies]);
  }

  of(path: string): WechatApiCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  /** Texts delivered (errcode 0) through a send path, in order. */
  delivered(path: string): Array<{ user: string; text: string }> {
    return this.of(path)
      .filter((call) => call.delivered)
      .map((call) => ({ user: String(call.body?.touser), text: String((call.body?.text as { content?: string } | undefined)?.content) }));
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.path).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private issue(): Reply {
    const token = `token-${++this.issued}`;
    this.valid.add(token);
    return { body: { errcode: 0, errmsg: "ok", access_token: token, expires_in: 7200 } };
  }

  private reply(call: WechatApiCall): Reply {
    const { appId, appSecret, corpId, corpSecret } = this.credentials;
    switch (call.path) {
      case "/cgi-bin/token":
        if (call.query.grant_type !== "client_credential") return { body: { errcode: 40002, errmsg: "invalid grant_type" } };
        return call.query.appid === appId && call.query.secret === appSecret ? this.issue() : { body: { errcode: 40125, errmsg: "invalid appsecret" } };
      case "/cgi-bin/gettoken":
        return call.query.corpid === corpId && call.query.corpsecret === corpSecret ? this.issue() : { body: { errcode: 40001, errmsg: "invalid secret" } };
      case "/cgi-bin/message/custom/send":
      case "/cgi-bin/message/send": {
        const token = call.query.access_token;
        if (this.expired.has(token)) return { body: { errcode: 42001, errmsg: "access_token expired" } };
        if (!this.valid.has(token)) return { body: { errcode: 40001, errmsg: "invalid credential" } };
        const content = (call.body?.text as { content?: unknown } | undefined)?.content;
        if (call.body?.msgtype !== "text" || typeof content !== "string" || !call.body?.touser) return { body: { errcode: 44002, errmsg: "empty post data" } };
        if (Buffer.byteLength(content) > 2048) return { body: { errcode: 45002, errmsg: "content size out of limit" } };
        call.delivered = true;
        return { body: { errcode: 0, errmsg: "ok" } };
      }
      default:
        return { status: 404, body: { errcode: 404, errmsg: "no such API" } };
    }
  }
}
