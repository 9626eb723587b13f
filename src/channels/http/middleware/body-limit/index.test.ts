import { request } from "node:http";
import { connect } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { limitBody } from "./index.js";

describe("limitBody", () => {
  it("refuses a body over the limit with 413 naming it, and passes one under it", async () => {
    const app = new Hono();
    app.use("*", limitBody(16 * 1024));
    app.post("/", async (c) => c.text(String((await c.req.text()).length)));
    const big = await app.request("/", { method: "POST", body: "x".repeat(16 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "body: request body is larger than 16 KB", field: "body" });
    expect(await (await app.request("/", { method: "POST", body: "x".repeat(100) })).text()).toBe("100");
  });
});

describe("limitBody on a real server (JSON read straight from Node's request)", () => {
  let server: ServerType;
  let port: number;
  const failures: string[] = [];
  beforeAll(async () => {
    const app = new Hono();
    app.onError((error, c) => {
      failures.push(error.message);
      return c.text("failed", 500);
    });
    app.use("*", limitBody(1024));
    app.post("/", async (c) => {
      const body = await c.req.json();
      // Proof that the fast path ran: the request is still @hono/node-server's lightweight one, no fetch Request built.
      const symbols = Object.getOwnPropertySymbols(c.req.raw).map(String);
      return c.json({ body, rawBuilt: !symbols.includes("Symbol(incomingKey)") || symbols.includes("Symbol(requestCache)") });
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `chunks` chunked (no Content-Length), each written on its own. */
  function sendChunked(chunks: Buffer[]): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ port, host: "127.0.0.1", method: "POST", path: "/", headers: { "content-type": "application/json" } }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  it("parses a JSON body, even with a character split between chunks, without building a fetch Request", async () => {
    const bytes = Buffer.from(JSON.stringify({ question: "检测费减免多少" }));
    const split = bytes.indexOf(Buffer.from("测")) + 1;
    const { status, body } = await sendChunked([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ body: { question: "检测费减免多少" }, rawBuilt: false });
  });

  it("refuses a declared or a chunked body over the limit with 413, naming the limit", async () => {
    const declared = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(2000) }),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: "body: request body is larger than 1 KB", field: "body" });
    const chunked = await sendChunked([Buffer.from('{"pad":"'), Buffer.from("x".repeat(600)), Buffer.from("x".repeat(600)), Buffer.from('"}')]);
    expect(chunked.status).toBe(413);
  });

  it("lets go of a request whose client leaves halfway through its body", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"question":');
    await vi.waitFor(() => expect(socket.bytesWritten).toBeGreaterThan(0));
    socket.destroy();
    await vi.waitFor(() => expect(failures.some((m) => /aborted/.test(m))).toBe(true));
  });
});
