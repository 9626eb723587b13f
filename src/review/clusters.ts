/**
 * Questions at least this similar on average to a cluster's questions join it (need-similarity.ts). Tuned in
 * clusters.test.ts on paraphrase sets: paraphrases of one need score 0.52 and up, unrelated questions
 * that share a common word (备案 in 歇业备案, 刻公章备案) 0.48 and below.
 */
export const SAME_NEED = 0.5;
/** A cluster is compared through its first (most asked) questions only: a large need costs no more than a small one. */
const SAMPLED_MEMBERS = 8;

export interface Clustered<T> {
  members: T[];
}

export interface ClusterOptions<T> {
  threshold?: number;
  /**
   * What two items must share for their similarity to be worth computing (their topics, their rarer bigrams): an
   * item is compared only with the clusters holding one of its keys. Without it, with every cluster.
   */
  keys?: (item: T) => Iterable<string>;
}

/**
 * Groups items into needs, greedily and without chaining: items in the order given (the most asked first) join the
 * cluster whose members they resemble most on average, when that average reaches the threshold; otherwise they start one.
 */
export function clusterBy<T>(items: T[], similarity: (a: T, b: T) => number, { threshold = SAME_NEED, keys }: ClusterOptions<T> = {}): Clustered<T>[] {
  const clusters: Clustered<T>[] = [];
  const holding = new Map<string, Set<Clustered<T>>>();
  for (const item of items) {
    const own = keys ? [...new Set(keys(item))] : [];
    const candidates = keys ? new Set(own.flatMap((key) => [...(holding.get(key) ?? [])])) : clusters;
    let best: Clustered<T> | undefined;
    let bestScore = threshold;
    for (const cluster of candidates) {
      const sample = cluster.members.slice(0, SAMPLED_MEMBERS);
      const score = sample.reduce((sum, member) => sum + similarity(item, member), 0) / sample.length;
      if (score >= bestScore) [best, bestScore] = [cluster, score];
    }
    const joined = best ?? { members: [] };
    if (!best) clusters.push(joined);
    joined.members.push(item);
    for (const key of own) holding.set(key, (holding.get(key) ?? new Set()).add(joined));
  }
  return clusters;
}
