/**
 * Questions at least this similar on average to a cluster's questions join it (need-similarity.ts). Tuned in
 * clusters.test.ts on paraphrase sets: paraphrases of one need score 0.52 and up, unrelated questions
 * that share a common word (备案 in 歇业备案, 刻公章备案) 0.48 and below.
 */
export const SAME_NEED = 0.5;

export interface Clustered<T> {
  members: T[];
}

/**
 * Groups items into needs, greedily and without chaining: items in the order given (the most asked first) join the
 * cluster whose members they resemble most on average, when that average reaches `threshold`; otherwise they start one.
 */
export function clusterBy<T>(items: T[], similarity: (a: T, b: T) => number, threshold = SAME_NEED): Clustered<T>[] {
  const clusters: Clustered<T>[] = [];
  for (const item of items) {
    let best: Clustered<T> | undefined;
    let bestScore = threshold;
    for (const cluster of clusters) {
      const score = cluster.members.reduce((sum, member) => sum + similarity(item, member), 0) / cluster.members.length;
      if (score >= bestScore) [best, bestScore] = [cluster, score];
    }
    if (best) best.members.push(item);
    else clusters.push({ members: [item] });
  }
  return clusters;
}
