import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import type { Ask } from "../../core/ask.js";
import { fakeAnswer, testApp } from "./__fixtures__/test-app.js";

let server: ServerType | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** The app on a real Node server, as `npm start` runs it. */
async function listen(answer: Ask): Promise<number> {
  const { app } = testApp({ answer });
  const started = await new Promise<ServerType>((resolve) => {
    const running = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(running));
  });
  server = started;
  return (started.address() as AddressInfo).port;
}

function post(port: number, question: string) {
  const body = JSON.stringify({ question });
  return request({
    host: "127.0.0.1",
    port,
    path: "/api/ask",
    method: "POST",
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
  }).end(body);
}

describe("hangUpSignal on a real server", () => {
  it("aborts the answer when the client closes its connection before the answer is sent", async () => {
    let asked: (signal: AbortSignal | undefined) => void;
    const signalSeen = new Promise<AbortSignal | undefined>((resolve) => (asked = resolve));
    const port = await listen(async (_question, _history, options) => {
      asked(options?.signal);
      await new Promise((resolve) => options?.signal?.addEventListener("abort", resolve));
      return fakeAnswer();
    });
    const sent = post(port, "问").on("error", () => undefined);
    const signal = await signalSeen;
    expect(signal?.aborted).toBe(false);
    sent.destroy();
    await new Promise((resolve) => signal?.addEventListener("abort", resolve));
    expect(signal?.aborted).toBe(true);
  });

  it("leaves the signal alone once the answer is sent", async () => {
    let seen: AbortSignal | undefined;
    const port = await listen(async (_question, _history, options) => {
      seen = options?.signal;
      return fakeAnswer();
    });
    const status = await new Promise<number | undefined>((resolve) =>
      post(port, "问").on("response", (response) => {
        response.resume();
        // The server closes the response once it has finished sending it: by the end, 'close' has run.
        response.on("end", () => resolve(response.statusCode));
      }),
    );
    expect(status).toBe(200);
    expect(seen?.aborted).toBe(false);
  });
});
