import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY, temporaryDirectory } from "../../test/helpers.js";
import { createAsk } from "../core/ask.js";
import { auditTrail } from "../store/audit.js";
import { QuestionLibrary } from "./question-library.js";
import { validateEntry } from "./validate-entry.js";

async function taught(library: QuestionLibrary, question: string, measureIds: string[], extra: { answer?: string; refusal?: string } = {}) {
  const valid = validateEntry({ question, measureIds, ...extra }, await seedKnowledgeBase());
  if (!valid.ok) throw new Error(valid.error);
  const outcome = await library.create(valid.value, "zhang");
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.entry;
}

describe("the question library", () => {
  it("answers a taught question and a close paraphrase from the linked clause, counts the hit, and forgets it when deleted", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const library = await QuestionLibrary.open({ sqlite: new Database(":memory:") });
    const ask = createAsk({ knowledgeBase, today: () => TODAY, library });
    const question = "饭店老被查怎么办？";
    const measure = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
    const before = await ask(question);
    expect(before.citations.map((c) => c.measureId)).not.toContain(measure.id);

    const entry = await taught(library, question, [measure.id]);
    const again = await ask(question);
    expect(again.libraryEntryId).toBe(entry.id);
    expect(again.citations[0].measureId).toBe(measure.id);
    const paraphrase = await ask("请问饭店老是被查，怎么办呢");
    expect(paraphrase.libraryEntryId).toBe(entry.id);
    expect(library.get(entry.id)?.hitCount).toBe(2);

    await library.remove(entry.id, "li");
    expect((await ask(question)).libraryEntryId).toBeUndefined();
    expect((await auditTrail(library.db as never, entry.id)).map((r: { actor: string; action: string }) => [r.actor, r.action])).toEqual([
      ["li", "library.delete"],
      ["zhang", "library.create"],
    ]);
  });

  it("never matches a question about another place or another figure, however close the wording", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const library = await QuestionLibrary.open({ sqlite: new Database(":memory:") });
    const measure = knowledgeBase.corpus.measures[0];
    await taught(library, "哈密市的企业检测费能减免吗？", [measure.id]);
    expect(library.match("哈密市企业检测费能减免吗")).toBeDefined();
    expect(library.match("克拉玛依市的企业检测费能减免吗？")).toBeUndefined();
    await taught(library, "贷款100万元能贴息吗？", [measure.id]);
    expect(library.match("贷款200万元能贴息吗？")).toBeUndefined();
  });

  it("lets a related phrasing find the linked measure through the taught question, without answering an unrelated one from it", async () => {
    const knowledgeBase = await seedKnowledgeBase();
    const library = await QuestionLibrary.open({ sqlite: new Database(":memory:") });
    const ask = createAsk({ knowledgeBase, today: () => TODAY, library });
    const measure = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!;
    expect((await ask("饭店老被查咋办")).refused).toBe(true);
    await taught(library, "饭店老被查怎么办？", [measure.id]);
    // Too far from the taught wording for the fast path (0.44), but the taught words now belong to the measure.
    const related = await ask("饭店老被查咋办");
    expect(related.libraryEntryId).toBeUndefined();
    expect(related.refused).toBe(false);
    expect(related.citations[0].measureId).toBe(measure.id);
    const unrelated = await ask("饭店能享受什么补贴？");
    expect(unrelated.citations[0]?.measureId).not.toBe(measure.id);
  });

  it("survives a restart: a second connection on the same file sees the entries, and a write from another process", async () => {
    const path = `${temporaryDirectory()}/library.sqlite`;
    const knowledgeBase = await seedKnowledgeBase();
    const first = await QuestionLibrary.open({ sqlite: new Database(path) });
    const other = await QuestionLibrary.open({ sqlite: new Database(path) });
    const entry = await taught(first, "怎么查我的社保缴费记录？", [], { refusal: "personal-matter" });
    // The other process notices the write by the revision number, before its next match.
    expect(other.match("怎么查我的社保缴费记录")?.refusal).toBe("personal-matter");
    const reopened = await QuestionLibrary.open({ sqlite: new Database(path) });
    expect(reopened.get(entry.id)).toMatchObject({ question: "怎么查我的社保缴费记录？", refusal: "personal-matter", createdBy: "zhang" });
    expect(knowledgeBase.corpus.measures.length).toBeGreaterThan(0);
  });
});
