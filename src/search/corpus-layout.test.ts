import { describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../test/helpers.js";
import type { Corpus, Measure, PolicyDocument } from "../types.js";
import { layoutOf, NO_DOCUMENT } from "./corpus-layout.js";

const layout = (corpus: Corpus, like?: Corpus) => {
  const { documentIndex, documentOf, offsets, clausePositions } = layoutOf(corpus, like);
  return { documentIndex, documentOf: [...documentOf], offsets: [...offsets], clausePositions: [...clausePositions] };
};

describe("where each document's clauses are", () => {
  it("places every clause under its document, in corpus order", () => {
    const document = (id: string) => ({ id }) as PolicyDocument;
    const measure = (id: string, documentId: string) => ({ id, documentId }) as Measure;
    const corpus = {
      documents: [document("a"), document("b")],
      // A document's clauses apart from each other, and one of no document.
      measures: [measure("a0", "a"), measure("b0", "b"), measure("a1", "a"), measure("x", "none"), measure("b1", "b")],
    } as Corpus;
    expect(layout(corpus)).toEqual({
      documentIndex: new Map([
        ["a", 0],
        ["b", 1],
      ]),
      documentOf: [0, 1, 0, NO_DOCUMENT, 1],
      offsets: [0, 2, 4],
      clausePositions: [0, 2, 1, 4],
    });
  });

  it("lays out a publish's next corpus from the live one as it would on its own", async () => {
    const { corpus } = await seedKnowledgeBase();
    const [first, second, third] = corpus.documents;
    const clausesOf = (d: PolicyDocument) => corpus.measures.filter((m) => m.documentId === d.id);
    const renamed = { ...second, id: "renamed" };
    const live = { ...corpus, documents: [first, second, third], measures: [first, second, third].flatMap(clausesOf) };
    // The second document gone, the third moved up, and clauses of the first given to another document.
    const next = {
      ...corpus,
      documents: [first, third, renamed],
      measures: [
        ...clausesOf(first).slice(0, 3),
        ...clausesOf(first)
          .slice(3)
          .map((m) => ({ ...m, documentId: renamed.id })),
        ...clausesOf(third),
      ],
    };
    expect(layout(next, live)).toEqual(layout({ ...next }));
    expect(layout(live, next)).toEqual(layout({ ...live }));
    // Clauses of two documents the live corpus lacks, in the same places: each is under its own.
    const clauses = [first, second, third].flatMap(clausesOf);
    const before = { ...corpus, documents: [first], measures: clauses };
    const after = { ...corpus, documents: [first, second, third], measures: clauses };
    expect(layout(after, before)).toEqual(layout({ ...after }));
    // A clause in the middle of a document given to another: the one after it is still the first document's.
    const moved = clauses.map((m, i) => (i === 1 ? { ...m, documentId: renamed.id } : m));
    const changed = { ...corpus, documents: [first, second, third, renamed], measures: moved };
    expect(layout(changed, after)).toEqual(layout({ ...changed }));
  });
});
