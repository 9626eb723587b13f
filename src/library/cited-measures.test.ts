import { describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { openSqliteStore } from "../store/kysely-store.js";
import type { Citation } from "../types.js";
import { QuestionLibrary } from "./question-library.js";

const citing = (measureId: string) => [{ marker: 1, measureId, text: "条款", document: "文件", path: "一、" } as unknown as Citation];

describe("the measures stored answers reached", () => {
  it("are those answered or taught from, read from the daily tallies; a low answer's nearest clauses reached nothing", async () => {
    const store = openSqliteStore(":memory:");
    await store.ready;
    const library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite, pollMs: 600_000 });
    await store.recordTurn({ channel: "web", question: "检测费能减免吗", answer: fakeAnswer({ citations: citing("m-answered") }) });
    await store.recordTurn({ channel: "web", question: "检测费", answer: fakeAnswer({ outcome: "low", confidence: "low", citations: citing("m-low") }) });
    await store.recordTurn({ channel: "slack", question: "饭店老被查", answer: fakeAnswer({ outcome: "library", citations: citing("m-library") }) });
    expect([...(await library.citedMeasureIds())].sort()).toEqual(["m-answered", "m-library"]);
    await store.close();
  });
});
