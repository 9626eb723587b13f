import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhook, webhookSignature } from "./webhook.js";

const SECRET = "hook-secret-8d1f";

/** A local 12345 work-order receiver that answers each request with the next status given (200 after them). */
async function receiver(statuses: number[] = []) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({ headers: request.headers, body });
    response.writeHead(statuses.shift() ?? 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  servers.push(server);
  return { url, received };
}
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe("hand-off webhook", () => {
  it("posts JSON signed with HMAC-SHA256 over the timestamp and the body", async () => {
    const { url, received } = await receiver();
    const now = Date.parse("2026-11-27T02:00:00Z");
    const webhook = createWebhook({ url, secret: SECRET, now: () => now });
    await webhook.send("create", { id: "h1", question: "歇业能保留多久" });
    const [{ headers, body }] = received;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-timestamp"]).toBe(String(now / 1000));
    expect(headers["x-signature"]).toBe(webhookSignature(SECRET, String(now / 1000), body));
    expect(JSON.parse(body)).toEqual({ event: "create", at: "2026-11-27T02:00:00.000Z", data: { id: "h1", question: "歇业能保留多久" } });
    // The receiver's check: the same body with another timestamp, or another body, does not verify.
    expect(webhookSignature(SECRET, String(now / 1000 + 600), body)).not.toBe(headers["x-signature"]);
    expect(webhook.health()).toMatchObject({ ok: true, delivered: 1, failed: 0 });
  });

  it("retries a failing receiver with doubling waits, and gives up after the bounded tries, visibly", async () => {
    const { url, received } = await receiver([500, 503]);
    const waits: number[] = [];
    const webhook = createWebhook({ url, secret: SECRET, attempts: 3, firstDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
    await webhook.send("claim", { id: "h1" });
    expect(received).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
    expect(webhook.health()).toMatchObject({ ok: true, delivered: 1 });

    const dead = createWebhook({
      url: "http://127.0.0.1:9/unreachable",
      secret: SECRET,
      attempts: 3,
      firstDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    await dead.send("reply", { id: "h1" });
    expect(dead.health()).toMatchObject({ ok: false, failed: 1, delivered: 0 });
    expect(dead.health().lastError).toBeTruthy();
  });

  it("does not retry a request the receiver refuses as wrong (4xx)", async () => {
    const { url, received } = await receiver([401]);
    const webhook = createWebhook({ url, secret: SECRET, attempts: 4, sleep: async () => undefined });
    await webhook.send("close", { id: "h1" });
    expect(received).toHaveLength(1);
    expect(webhook.health()).toMatchObject({ ok: false, failed: 1, lastError: "HTTP 401" });
  });
});
