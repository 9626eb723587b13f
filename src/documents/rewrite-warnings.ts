import { flatten } from "../answer/verify/flatten.js";
import { readWording } from "../answer/verify/wording.js";
import type { Measure } from "../types.js";
import type { VersionDiff } from "./version-diff.js";

/** Past this share of clauses rewritten, added or removed, a "new version" is more likely another text: staff read it whole. */
const MOST = 0.5;

const promisesOf = (measures: Measure[]) => new Set(measures.flatMap((m) => readWording(flatten(m.text)).promises));

/**
 * What a reviewer should be told beyond the diff: most clauses changed (a
 * wrong file matched by its 文号, or a rewrite that needs reading whole), or
 * promise words (终身, 全部, 确保…) the published version never used.
 */
export function rewriteWarnings(diff: VersionDiff, before: Measure[], after: Measure[]): string[] {
  const warnings: string[] = [];
  const touched = diff.changed + diff.added + diff.removed;
  const total = touched + diff.unchanged;
  if (total >= 2 && touched / total > MOST) {
    warnings.push(
      `与第${diff.fromVersion}版相比，${total}条条款中有${touched}条被改写、新增或删除，超过一半：请确认这确是同一文件的新版本，并逐条核对后再发布。`,
    );
  }
  const old = promisesOf(before);
  const added = [...promisesOf(after)].filter((word) => !old.has(word));
  if (added.length) warnings.push(`新版本出现了第${diff.fromVersion}版没有的承诺用语：${added.map((w) => `“${w}”`).join("")}；请核对原文确实如此后再发布。`);
  return warnings;
}
