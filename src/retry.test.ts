import { describe, expect, it } from "vitest";
import { type RetryOptions, retry } from "./retry.js";

/** A retry whose waits are recorded instead of waited. */
function recorded(options: Omit<RetryOptions, "sleep">) {
  const waits: number[] = [];
  const told: Array<[string, number, number]> = [];
  const run = <T>(operation: (attempt: number) => Promise<T>) =>
    retry(operation, {
      ...options,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (error, attempt, delayMs) => told.push([(error as Error).message, attempt, delayMs]),
    });
  return { run, waits, told };
}

/** Fails with `errors` in turn, then answers `value`. */
function failing<T>(errors: Error[], value: T) {
  const tries: number[] = [];
  return {
    tries,
    operation: async (attempt: number) => {
      tries.push(attempt);
      const error = errors[attempt - 1];
      if (error) throw error;
      return value;
    },
  };
}

describe("retry", () => {
  it("tries again after each failure with growing waits, and returns the first success", async () => {
    const { run, waits, told } = recorded({ attempts: 4, firstDelayMs: 100, factor: 3 });
    const { operation, tries } = failing([new Error("one"), new Error("two")], "ok");
    expect(await run(operation)).toBe("ok");
    expect(tries).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 300]);
    expect(told).toEqual([
      ["one", 1, 100],
      ["two", 2, 300],
    ]);
  });

  it("throws the last failure as it was once the tries run out, with no wait after the last", async () => {
    const { run, waits } = recorded({ attempts: 3, firstDelayMs: 1000 });
    const last = new Error("third");
    const { operation, tries } = failing([new Error("first"), new Error("second"), last], "never");
    await expect(run(operation)).rejects.toBe(last);
    expect(tries).toEqual([1, 2, 3]);
    expect(waits).toEqual([1000, 2000]);
  });

  it("throws a failure that is not retryable at once, without waiting", async () => {
    const permanent = Object.assign(new Error("bad token"), { permanent: true });
    const { run, waits, told } = recorded({ attempts: 5, firstDelayMs: 10, retryable: (error) => !(error as { permanent?: boolean }).permanent });
    const { operation, tries } = failing([new Error("network"), permanent], "never");
    await expect(run(operation)).rejects.toBe(permanent);
    expect(tries).toEqual([1, 2]);
    expect(waits).toEqual([10]);
    expect(told.map(([message]) => message)).toEqual(["network"]);
  });

  it("caps each wait at maxDelayMs", async () => {
    const { run, waits } = recorded({ attempts: 6, firstDelayMs: 20_000, maxDelayMs: 60_000 });
    const { operation } = failing(
      Array.from({ length: 5 }, (_, i) => new Error(`fail ${i}`)),
      "late",
    );
    expect(await run(operation)).toBe("late");
    expect(waits).toEqual([20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  it("tries once when one attempt is all it has", async () => {
    const { run, waits } = recorded({ attempts: 1, firstDelayMs: 100 });
    const only = new Error("down");
    await expect(run(failing([only], "never").operation)).rejects.toBe(only);
    expect(waits).toEqual([]);
  });
});
