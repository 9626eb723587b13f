import { afterEach, describe, expect, it, vi } from "vitest";
import { localRateLimiter } from "./rate-limiter.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("localRateLimiter", () => {
  it("allows the limit per window, then says how long to wait, then allows again", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    const allow = localRateLimiter(2, 60_000);
    expect([(await allow("a")).ok, (await allow("a")).ok, (await allow("a")).ok]).toEqual([true, true, false]);
    vi.setSystemTime(45_000);
    expect(await allow("a")).toEqual({ ok: false, retryAfterSeconds: 15 });
    expect((await allow("b")).ok).toBe(true);
    vi.setSystemTime(60_000);
    expect((await allow("a")).ok).toBe(true);
  });

  it("keeps a flooder limited however many other clients come and go", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    const allow = localRateLimiter(1, 60_000);
    await allow("flooder");
    for (let i = 0; i < 20_000; i++) await allow(`client-${i}`);
    expect((await allow("flooder")).ok).toBe(false);
    expect((await allow("client-0")).ok).toBe(false);
  });
});
