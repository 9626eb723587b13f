import { describe, expect, it } from "vitest";
import { ChangedMap } from "./changed-map.js";

describe("a map changed by publishes", () => {
  const built = new Map(Array.from({ length: 20 }, (_, i) => [`m${i}`, i]));

  it("reads as the map with the keys removed and the entries added, leaving the one it changed as it was", () => {
    const first = ChangedMap.changed(built, ["m1", "m2", "gone"], [["n1", 101]]);
    // Replaced under the same key (an upload's next version keeps its clause ids), then one key back again.
    const second = ChangedMap.changed(
      first,
      ["m3", "n1"],
      [
        ["n1", 102],
        ["m1", 1001],
      ],
    );
    const expected = new Map(built);
    for (const key of ["m2", "m3"]) expected.delete(key);
    expected.set("n1", 102).set("m1", 1001);

    expect(second.size).toBe(expected.size);
    expect(new Map(second)).toEqual(expected);
    expect([...second.keys()].sort()).toEqual([...expected.keys()].sort());
    expect([...second.values()].sort()).toEqual([...expected.values()].sort());
    for (const key of ["m1", "m2", "m3", "n1", "m4", "gone"]) {
      expect(second.get(key), key).toBe(expected.get(key));
      expect(second.has(key), key).toBe(expected.has(key));
    }
    const visited = new Map<string, number>();
    second.forEach((value, key) => {
      visited.set(key, value);
    });
    expect(visited).toEqual(expected);

    expect(first.get("m3")).toBe(3);
    expect(first.get("n1")).toBe(101);
    expect(first.has("m2")).toBe(false);
    expect(first.size).toBe(19);
    expect(built.size).toBe(20);
  });

  it("becomes a plain map again once the changes are a good part of it", () => {
    const many = ChangedMap.changed(
      built,
      [],
      Array.from({ length: 6 }, (_, i) => [`x${i}`, i] as const),
    );
    expect(many).toBeInstanceOf(Map);
    expect(many.size).toBe(26);
    expect(ChangedMap.changed(built, [], [["x", 1]])).toBeInstanceOf(ChangedMap);
  });
});
