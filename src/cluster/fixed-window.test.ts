import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./fixed-window.js";

describe("createRateLimiter", () => {
  it("allows the limit per window, then says how long to wait, then allows again", () => {
    let t = 0;
    const allow = createRateLimiter(2, 60_000, () => t);
    expect([allow("a").ok, allow("a").ok, allow("a").ok]).toEqual([true, true, false]);
    t = 45_000;
    expect(allow("a")).toEqual({ ok: false, retryAfterSeconds: 15 });
    expect(allow("b").ok).toBe(true);
    t = 60_000;
    expect(allow("a").ok).toBe(true);
  });

  it("forgets the oldest client when full, not every client at once", () => {
    let t = 0;
    const allow = createRateLimiter(1, 60_000, () => t, 10_000);
    for (let i = 0; i < 9_999; i++) allow(`client-${i}`);
    t = 1;
    allow("flooder");
    expect(allow("flooder").ok).toBe(false);
    // One more new client fills the table: the oldest is dropped, the flooder stays limited.
    allow("newcomer");
    allow("another");
    expect(allow("flooder").ok).toBe(false);
    expect(allow("client-0").ok).toBe(true);
  });
});
