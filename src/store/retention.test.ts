import { afterEach, describe, expect, it, vi } from "vitest";
import { scheduleRetention } from "./retention.js";
import type { Store } from "./sqlite-store.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("scheduleRetention", () => {
  it("deletes turns older than the retention period at once and then daily, until stopped", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const cutoffs: string[] = [];
    const store = { deleteTurnsBefore: (cutoff: string) => cutoffs.push(cutoff) } as unknown as Store;
    let t = Date.parse("2026-11-27T00:00:00.000Z");
    const retention = scheduleRetention({ store, days: 180, now: () => t });
    expect(cutoffs).toEqual(["2026-05-31T00:00:00.000Z"]);
    t += 24 * 60 * 60 * 1000;
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(cutoffs).toEqual(["2026-05-31T00:00:00.000Z", "2026-06-01T00:00:00.000Z"]);
    retention.stop();
    vi.advanceTimersByTime(3 * 24 * 60 * 60 * 1000);
    expect(cutoffs).toHaveLength(2);
  });
});
