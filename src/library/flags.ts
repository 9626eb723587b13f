import { validityOf } from "../answer/validity.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { LibraryEntry } from "./entry.js";
import { verifyLibraryAnswer } from "./validate-entry.js";

/**
 * Why an entry needs a person: a linked measure is gone from the knowledge
 * base (its document deleted: the question is then refused), its document was
 * repealed or superseded (answers say so and name the replacement), or the
 * measure's own period has ended; or its reviewed answer no longer verifies
 * (saved under older checks, or its clause changed: it is then not served).
 */
export interface EntryFlag {
  kind: "removed" | "retired" | "ended" | "unverified";
  measureId: string;
  text: string;
}

export function entryFlags(entry: LibraryEntry, knowledgeBase: KnowledgeBase, today: string): EntryFlag[] {
  const verification =
    entry.answer && entry.measureIds.length ? verifyLibraryAnswer(entry.answer, entry.measureIds, knowledgeBase) : { ok: true, problems: [] };
  const unverified: EntryFlag[] = verification.ok
    ? []
    : [
        {
          kind: "unverified",
          measureId: entry.measureIds[0],
          text: `审核答案未通过核对（${verification.problems.join("；")}），提问时改为引用条款原文，请修改答案`,
        },
      ];
  return [...measureFlags(entry, knowledgeBase, today), ...unverified];
}

function measureFlags(entry: LibraryEntry, knowledgeBase: KnowledgeBase, today: string): EntryFlag[] {
  return entry.measureIds.flatMap((measureId): EntryFlag[] => {
    const measure = knowledgeBase.measuresById.get(measureId);
    if (!measure) return [{ kind: "removed", measureId, text: `关联的条款 ${measureId} 已不在知识库中（文件已删除），此问题将拒答，请重新关联` }];
    const document = knowledgeBase.documentOf(measure);
    const validity = validityOf(measure, today, document);
    if (document.retired && validity.status === "ended")
      return [{ kind: "retired", measureId, text: `关联条款所在文件${validity.label}：${validity.sentence ?? ""}请检查此问题的关联` }];
    if (validity.status === "ended") return [{ kind: "ended", measureId, text: `关联的条款 ${measureId} ${validity.label ?? "已到期"}` }];
    return [];
  });
}
