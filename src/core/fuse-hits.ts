import type { SearchHit } from "../types.js";

/**
 * Hits of several readings of one question, fused: each clause keeps its best
 * score relative to its reading's top hit, weighted by how strongly that
 * reading was judged answerable, so the best reading's clauses lead and
 * "within 60% of the best" means the same after fusion as before.
 */
export function fuseHits(lists: SearchHit[][], weights: number[] = lists.map(() => 1)): SearchHit[] {
  if (lists.length === 1) return lists[0];
  const strongest = Math.max(...weights) || 1;
  const fused = new Map<string, SearchHit>();
  for (const [i, list] of lists.entries()) {
    const top = list[0]?.score || 1;
    for (const hit of list) {
      const relative = { ...hit, score: (hit.score / top) * (weights[i] / strongest) };
      const known = fused.get(hit.measureId);
      if (!known || relative.score > known.score) fused.set(hit.measureId, { ...relative, coverage: Math.max(relative.coverage, known?.coverage ?? 0) });
    }
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
