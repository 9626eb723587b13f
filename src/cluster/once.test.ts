import { describe, expect, it } from "vitest";
import { createRecentKeys } from "../channels/wechat-official/inbound-message.js";
import { localOnce, recentKeys } from "./once.js";

// lru-cache takes a start time of 0 for "no time to live": clocks here start where a real one might.
const START = Date.parse("2026-11-27T02:00:00Z");

describe("recentKeys (an LRU with a time to live)", () => {
  it("says a key is new once within the window, and new again after it, by the injected clock", () => {
    let t = START;
    const firstTime = recentKeys({ ttlMs: 60_000, maxKeys: 100, now: () => t });
    expect(firstTime("Ev1")).toBe(true);
    t = START + 59_000;
    expect(firstTime("Ev1")).toBe(false);
    expect(firstTime("Ev2")).toBe(true);
    t = START + 60_001;
    expect(firstTime("Ev1")).toBe(true);
    expect(firstTime("Ev2")).toBe(false);
  });

  it("holds at most maxKeys, forgetting the oldest first", () => {
    const firstTime = recentKeys({ ttlMs: 60_000, maxKeys: 3, now: () => START });
    for (const key of ["a", "b", "c", "d"]) expect(firstTime(key)).toBe(true);
    expect(firstTime("d")).toBe(false);
    expect(firstTime("c")).toBe(false);
    expect(firstTime("a")).toBe(true);
  });
});

describe("the two de-duplications built on it", () => {
  it("localOnce answers each Slack event once within its window", async () => {
    let t = START;
    const once = localOnce(60 * 60_000, () => t, 2);
    expect([await once("E1"), await once("E1"), await once("E2")]).toEqual([true, false, true]);
    t = START + 60 * 60_000 + 1;
    expect(await once("E1")).toBe(true);
    await once("E3");
    await once("E4");
    // Past two keys the oldest went first: E1 (seen again at the later time) is gone too.
    expect(await once("E1")).toBe(true);
  });

  it("createRecentKeys keeps a 公众号 resend from being answered twice for five minutes", () => {
    let t = START;
    const firstTime = createRecentKeys({ now: () => t });
    expect(firstTime("message:1")).toBe(true);
    t = START + 4 * 60_000;
    expect(firstTime("message:1")).toBe(false);
    t = START + 5 * 60_000 + 1;
    expect(firstTime("message:1")).toBe(true);
  });
});
