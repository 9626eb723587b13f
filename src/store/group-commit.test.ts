import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.js";

describe("groupCommit", () => {
  it("commits the writes of one moment together, and those arriving during a commit in the next", async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const writer = groupCommit<number>(async (items) => {
      batches.push(items);
      // The first commit stays open until the test lets it go, so later writes must queue behind it.
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [writer.add(1), writer.add(2), writer.add(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    const second = [writer.add(4), writer.add(5)];
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("tells every write of a failed batch, and goes on with the next", async () => {
    let calls = 0;
    const writer = groupCommit<string>(async () => {
      calls++;
      if (calls === 1) throw new Error("disk full");
    });
    const failed = [writer.add("a"), writer.add("b")];
    await expect(Promise.all(failed)).rejects.toThrow("disk full");
    await expect(failed[1]).rejects.toThrow("disk full");
    await expect(writer.add("c")).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it("keeps batches to maxBatch", async () => {
    const sizes: number[] = [];
    const writer = groupCommit<number>(
      async (items) => {
        sizes.push(items.length);
      },
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => writer.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
