import type { Measure } from "../types.js";

export interface MeasureChange {
  change: "added" | "removed" | "changed" | "unchanged";
  /** The clause path in the new version (the old one for a removed clause). */
  path: string;
  before?: string;
  after?: string;
}

export interface VersionDiff {
  fromVersion: number;
  toVersion: number;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  changes: MeasureChange[];
}

const normalise = (text: string) => text.replace(/\s+/g, "");
const pathOf = (m: Measure) => m.path.join(" › ");

/** Share of character bigrams two texts have in common (Dice), to pair a reworded clause with its old self. */
function similarity(a: string, b: string): number {
  const grams = (text: string) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < text.length - 1; i++) counts.set(text.slice(i, i + 2), (counts.get(text.slice(i, i + 2)) ?? 0) + 1);
    return counts;
  };
  const x = grams(normalise(a));
  const y = grams(normalise(b));
  let shared = 0;
  for (const [gram, n] of x) shared += Math.min(n, y.get(gram) ?? 0);
  const total = [...x.values()].reduce((s, n) => s + n, 0) + [...y.values()].reduce((s, n) => s + n, 0);
  return total ? (2 * shared) / total : 1;
}

/**
 * What changed between two versions, clause by clause: the same text is
 * unchanged wherever it moved; otherwise a clause at the same path (however
 * reworded), or the
 * most similar one left (at least half alike), is changed; the rest were added
 * or removed.
 */
export function diffVersions(before: Measure[], after: Measure[], fromVersion: number, toVersion: number): VersionDiff {
  const unmatched = new Set(before.map((_, i) => i));
  const pairs = new Map<number, number>();
  after.forEach((measure, i) => {
    const same = [...unmatched].find((j) => normalise(before[j].text) === normalise(measure.text));
    if (same !== undefined) {
      pairs.set(i, same);
      unmatched.delete(same);
    }
  });
  after.forEach((measure, i) => {
    if (pairs.has(i)) return;
    const samePath = [...unmatched].find((j) => pathOf(before[j]) === pathOf(measure));
    const best =
      samePath ??
      [...unmatched]
        .map((j) => [j, similarity(before[j].text, measure.text)] as const)
        .filter(([, s]) => s >= 0.5)
        .sort((a, b) => b[1] - a[1])[0]?.[0];
    if (best !== undefined) {
      pairs.set(i, best);
      unmatched.delete(best);
    }
  });
  const changes: MeasureChange[] = after.map((measure, i) => {
    const old = pairs.get(i);
    if (old === undefined) return { change: "added", path: pathOf(measure), after: measure.text };
    const same = normalise(before[old].text) === normalise(measure.text);
    return { change: same ? "unchanged" : "changed", path: pathOf(measure), before: before[old].text, after: measure.text };
  });
  for (const j of unmatched) changes.push({ change: "removed", path: pathOf(before[j]), before: before[j].text });
  const count = (kind: MeasureChange["change"]) => changes.filter((c) => c.change === kind).length;
  return { fromVersion, toVersion, added: count("added"), removed: count("removed"), changed: count("changed"), unchanged: count("unchanged"), changes };
}
