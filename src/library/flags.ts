import { validityOf } from "../answer/validity.js";
import type { KnowledgeBase } from "../core/knowledge-base.js";
import type { LibraryEntry } from "./entry.js";

/** Why an entry needs a person: a linked measure is gone from the knowledge base (removed or repealed), or has ended. */
export interface EntryFlag {
  kind: "removed" | "ended";
  measureId: string;
  text: string;
}

export function entryFlags(entry: LibraryEntry, knowledgeBase: KnowledgeBase, today: string): EntryFlag[] {
  return entry.measureIds.flatMap((measureId): EntryFlag[] => {
    const measure = knowledgeBase.measuresById.get(measureId);
    if (!measure) return [{ kind: "removed", measureId, text: `关联的条款 ${measureId} 已不在知识库中（已删除或废止），此问题不会据此作答` }];
    if (validityOf(measure, today).status === "ended") return [{ kind: "ended", measureId, text: `关联的条款 ${measureId} 已到期` }];
    return [];
  });
}
