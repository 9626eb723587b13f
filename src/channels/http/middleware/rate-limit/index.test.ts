import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { HttpEnv } from "../../env.js";
import { clientAddress } from "../client-address/index.js";
import { rateLimit } from "./index.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("rateLimit", () => {
  it("answers 429 with Retry-After, per client, after the limit", async () => {
    // The count runs on the system clock: only Date is faked, so requests still run on real timers.
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    const app = new Hono<HttpEnv>();
    app.use("*", clientAddress());
    app.use("*", rateLimit({ perMinute: 2 }));
    app.get("/", (c) => c.text("ok"));
    const env = { incoming: { socket: { remoteAddress: "10.0.0.1" } } };
    expect((await app.request("/", {}, env)).status).toBe(200);
    vi.setSystemTime(20_000);
    expect((await app.request("/", {}, env)).status).toBe(200);
    const limited = await app.request("/", {}, env);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("40");
    expect((await limited.json()).retryAfterSeconds).toBe(40);
    expect((await app.request("/", {}, { incoming: { socket: { remoteAddress: "10.0.0.2" } } })).status).toBe(200);
  });
});
