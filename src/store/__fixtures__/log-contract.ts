import { expect, it } from "vitest";
import type { Answer, Citation, RefusalReason } from "../../types.js";
import { readAnalytics } from "../analytics.js";
import { type DatabaseTarget, openDatabase } from "../connect.js";
import { eachLogRow, readLog } from "../conversation-log.js";
import { applyMigrations } from "../database.js";
import { openStore } from "../kysely-store.js";
import { storeMigrations } from "../schema.js";
import type { Store } from "../store.js";

export const citation = (measureId: string, marker = 1): Citation => ({
  marker,
  kind: "measure",
  measureId,
  documentId: "doc-1",
  text: "条款原文",
  document: "关于减免检测费的通知",
  docNumber: "新政发〔2023〕1号",
  issuer: "自治区人民政府",
  region: "自治区",
  path: `一、（${marker}）`,
  pages: [1],
  score: 1,
  status: "active",
});

/** The answers `ask` gives, one of each kind the log tells apart. */
export const answers = {
  answered: (measureIds = ["m-1"]): Answer => ({
    text: "可以减免[1]。",
    body: "可以减免[1]。",
    notices: [],
    outcome: "answered",
    refused: false,
    confidence: "answer",
    citations: measureIds.map((id, i) => citation(id, i + 1)),
    suggestions: [],
    mode: "extractive",
    resolvedQuestion: "问",
  }),
  low: (): Answer => ({ ...answers.answered(["m-3"]), outcome: "low", confidence: "low" }),
  refused: (reason: RefusalReason = "no-match"): Answer => ({
    ...answers.answered([]),
    outcome: "refused",
    refused: true,
    refusal: { reason },
    confidence: "refuse",
    mode: "refusal",
    text: "抱歉",
    body: "抱歉",
  }),
  /** 文件中没有写明办理地点, with the clause quoted: an answer, flagged. */
  notStated: (): Answer => ({ ...answers.answered(["m-2"]), outcome: "not-stated", refused: true, refusal: { reason: "not-stated" }, confidence: "refuse" }),
  library: (): Answer => ({ ...answers.answered(["m-1"]), outcome: "library", libraryEntryId: "entry-1" }),
};

/** The conversation log and the charts' figures, on any engine: `open` gives an empty store on the clock given. */
export function logContract(open: (now: () => string) => Promise<Store>): void {
  it("stores each turn's outcome: answered, low, refused with its reason, library, handed off; a not-stated answer quoting clauses is answered", async () => {
    const store = await open(() => "2026-11-27T08:00:00.000Z");
    await store.recordTurn({ channel: "web", question: "答", answer: answers.answered() });
    await store.recordTurn({ channel: "api", question: "低", answer: answers.low() });
    await store.recordTurn({ channel: "slack", question: "拒", answer: answers.refused("other-region") });
    await store.recordTurn({ channel: "wechat-mp", question: "办理地点在哪", answer: answers.notStated() });
    await store.recordTurn({ channel: "wecom", question: "库", answer: answers.library() });
    await store.recordTurn({ channel: "wechaty", question: "转", answer: answers.answered(), handedOff: true });
    const { rows } = await readLog(store.db, {});
    const byQuestion = Object.fromEntries(rows.map((r) => [r.question, r]));
    expect(byQuestion.答).toMatchObject({ outcome: "answered", notStated: false, confidence: "answer", channel: "web" });
    expect(byQuestion.答.refusalReason).toBeUndefined();
    expect(byQuestion.低).toMatchObject({ outcome: "low", confidence: "low" });
    expect(byQuestion.拒).toMatchObject({ outcome: "refused", refusalReason: "other-region", notStated: false, citations: [] });
    expect(byQuestion.办理地点在哪).toMatchObject({ outcome: "answered", refusalReason: "not-stated", notStated: true, channel: "wechat-mp" });
    expect(byQuestion.办理地点在哪.citations).toEqual([
      { marker: 1, measureId: "m-2", document: "关于减免检测费的通知", docNumber: "新政发〔2023〕1号", path: "一、（1）" },
    ]);
    expect(byQuestion.库).toMatchObject({ outcome: "library", libraryEntryId: "entry-1", channel: "wecom" });
    expect(byQuestion.转).toMatchObject({ outcome: "handed-off", channel: "wechaty" });
    // Staff's unanswered list holds the refusal, not the not-stated answer that quoted its clause.
    expect((await store.unanswered()).map((r) => [r.question, r.refused])).toEqual([["拒", true]]);
    await store.close();
  });

  it("filters by day, channel, outcome, reason, measure, text, rating and conversation, combined", async () => {
    let clock = "2026-11-01T10:00:00.000Z";
    const store = await open(() => clock);
    const first = await store.recordTurn({ channel: "web", question: "检测费能减免吗", answer: answers.answered(["m-1", "m-2"]) });
    clock = "2026-11-02T10:00:00.000Z";
    await store.recordTurn({ conversationId: first.conversationId, channel: "web", question: "那100%减免呢", answer: answers.low() });
    const refused = await store.recordTurn({ channel: "api", question: "上海的政策", answer: answers.refused("other-region") });
    clock = "2026-11-03T23:59:59.999Z";
    await store.recordTurn({ channel: "wecom", question: "在哪里办", answer: answers.notStated() });
    await store.rate({ answerId: refused.answerId, rating: "down", comment: "请回电13812345678", client: "a" });
    const questions = async (filters: Parameters<typeof readLog>[1]) => (await readLog(store.db, filters)).rows.map((r) => r.question);
    expect(await questions({})).toEqual(["在哪里办", "上海的政策", "那100%减免呢", "检测费能减免吗"]);
    expect(await questions({ from: "2026-11-02", to: "2026-11-02" })).toEqual(["上海的政策", "那100%减免呢"]);
    expect(await questions({ from: "2026-11-03" })).toEqual(["在哪里办"]);
    expect(await questions({ channel: "web" })).toEqual(["那100%减免呢", "检测费能减免吗"]);
    expect(await questions({ outcome: "refused" })).toEqual(["上海的政策"]);
    expect(await questions({ outcome: "answered" })).toEqual(["在哪里办", "检测费能减免吗"]);
    expect(await questions({ outcome: "not-stated" })).toEqual(["在哪里办"]);
    expect(await questions({ reason: "other-region" })).toEqual(["上海的政策"]);
    expect(await questions({ measureId: "m-2" })).toEqual(["在哪里办", "检测费能减免吗"]);
    expect(await questions({ measureId: "m-2", channel: "wecom" })).toEqual(["在哪里办"]);
    expect(await questions({ q: "检测费" })).toEqual(["检测费能减免吗"]);
    // % and _ are the text itself, not wildcards.
    expect(await questions({ q: "0%减" })).toEqual(["那100%减免呢"]);
    expect(await questions({ q: "检_费" })).toEqual([]);
    // The answer's text is searched too.
    expect(await questions({ q: "可以减免" })).toEqual(["在哪里办", "那100%减免呢", "检测费能减免吗"]);
    expect(await questions({ rating: "down" })).toEqual(["上海的政策"]);
    expect(await questions({ conversationId: first.conversationId })).toEqual(["那100%减免呢", "检测费能减免吗"]);
    const [rated] = (await readLog(store.db, { rating: "down" })).rows;
    expect(rated.ratings).toEqual([{ rating: "down", comment: "请回电[手机号]", createdAt: "2026-11-03T23:59:59.999Z" }]);
    await store.close();
  });

  it("pages newest first with a cursor: no turn twice, none missed, even within one millisecond", async () => {
    const store = await open(() => "2026-11-27T08:00:00.000Z");
    await Promise.all(Array.from({ length: 23 }, (_, i) => store.recordTurn({ channel: "api", question: `问${i}`, answer: answers.answered() })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readLog(store.db, { channel: "api" }, { limit: 10, cursor });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(23);
    const all: string[] = [];
    for await (const row of eachLogRow(store.db, {}, 7)) all.push(row.id);
    expect(all).toEqual(seen);
    await store.close();
  });

  it("counts questions per day and channel, outcomes, refusal reasons, measures asked and ratings; retention recounts the cutoff's day", async () => {
    let clock = "2026-11-01T10:00:00.000Z";
    const store = await open(() => clock);
    const early = await store.recordTurn({ channel: "web", question: "一", answer: answers.answered(["m-1", "m-2"]) });
    clock = "2026-11-01T20:00:00.000Z";
    await store.recordTurn({ channel: "web", question: "二", answer: answers.refused("no-match") });
    clock = "2026-11-03T09:00:00.000Z";
    const later = await store.recordTurn({ channel: "wechat-mp", question: "三", answer: answers.notStated() });
    await store.recordTurn({ channel: "api", question: "四", answer: answers.low() });
    await store.recordTurn({ channel: "api", question: "五", answer: answers.library() });
    await store.recordTurn({ channel: "api", question: "六", answer: answers.refused("personal-matter") });
    await store.rate({ answerId: later.answerId, rating: "up", client: "a" });
    await store.rate({ answerId: early.answerId, rating: "down", client: "a" });
    const figures = await readAnalytics(store.db, { from: "2026-11-01", to: "2026-11-03" });
    expect(figures.byDay.map((d) => [d.date, d.questions, d.answered, d.low, d.refused, d.library, d.notStated])).toEqual([
      ["2026-11-01", 2, 1, 0, 1, 0, 0],
      ["2026-11-02", 0, 0, 0, 0, 0, 0],
      ["2026-11-03", 4, 2, 1, 1, 1, 1],
    ]);
    expect(figures.byDay[2].channels).toEqual({ "wechat-mp": 1, api: 3 });
    expect(figures.byDay[2]).toMatchObject({ up: 2 - 1, down: 1 });
    expect(figures.ratings).toEqual({ up: 1, down: 1 });
    expect(figures.byChannel).toEqual([
      { channel: "api", questions: 3, answered: 1, low: 1, refused: 1, handedOff: 0 },
      { channel: "web", questions: 2, answered: 1, low: 0, refused: 1, handedOff: 0 },
      { channel: "wechat-mp", questions: 1, answered: 1, low: 0, refused: 0, handedOff: 0 },
    ]);
    expect(figures.refusalReasons).toEqual(
      expect.arrayContaining([
        { reason: "no-match", count: 1 },
        { reason: "personal-matter", count: 1 },
      ]),
    );
    // Answered, library and not-stated answers count their measures; the low answer's nearest clause (m-3) does not.
    expect(figures.measures).toEqual([
      { measureId: "m-1", count: 2 },
      { measureId: "m-2", count: 2 },
    ]);
    expect((await readAnalytics(store.db, { from: "2026-11-03", to: "2026-11-03" })).measures).toEqual([
      { measureId: "m-1", count: 1 },
      { measureId: "m-2", count: 1 },
    ]);

    expect(await store.deleteTurnsBefore("2026-11-01T15:00:00.000Z")).toBe(1);
    const after = await readAnalytics(store.db, { from: "2026-11-01", to: "2026-11-03" });
    expect(after.byDay[0]).toMatchObject({ questions: 1, answered: 0, refused: 1 });
    expect(after.measures).toEqual([
      { measureId: "m-1", count: 1 },
      { measureId: "m-2", count: 1 },
    ]);
    expect((await readLog(store.db, { measureId: "m-1" })).rows.map((r) => r.question)).toEqual(["五"]);
    await store.close();
  });
}

/**
 * A database as the store left it before outcomes were kept (migrations 001–003), with a refusal, an answer,
 * a library answer and a not-stated answer (refused = 1 but citing a clause); then opened by today's store.
 */
export async function openAfterOldSchema(target: DatabaseTarget): Promise<Store> {
  const opened = openDatabase(target);
  const { "store-004-outcome": _, "store-005-handoffs": __, ...old } = storeMigrations(opened.dialect);
  await applyMigrations(opened.db, old);
  const turn = (id: string, refused: number, citations: Citation[], library: string | null = null) => ({
    id,
    conversation_id: "c-1",
    channel: "wechat",
    question: id,
    resolved_question: null,
    answer: "答",
    refused,
    mode: refused ? "refusal" : "extractive",
    citations: JSON.stringify(citations),
    prompt_version: null,
    library_entry_id: library,
    created_at: `2026-10-0${id.length}T10:00:00.000Z`,
  });
  await opened.db.insertInto("conversations").values({ id: "c-1", channel: "wechat", created_at: "2026-10-01", updated_at: "2026-10-01" }).execute();
  await opened.db
    .insertInto("turns")
    .values([turn("拒", 1, []), turn("答答", 0, [citation("m-1")]), turn("库库库", 0, [citation("m-1")], "entry-1"), turn("未写明吗", 1, [citation("m-2")])])
    .execute();
  await opened.db.destroy();
  return openStore(target);
}

export async function expectOldTurnsDerived(store: Store): Promise<void> {
  const { rows } = await readLog(store.db, {});
  const byQuestion = Object.fromEntries(rows.map((r) => [r.question, r]));
  expect(byQuestion.拒).toMatchObject({ outcome: "refused", notStated: false, channel: "wechat" });
  expect(byQuestion.答答).toMatchObject({ outcome: "answered", notStated: false });
  expect(byQuestion.库库库).toMatchObject({ outcome: "library" });
  expect(byQuestion.未写明吗).toMatchObject({ outcome: "answered", notStated: true });
  expect((await readLog(store.db, { measureId: "m-1" })).rows).toHaveLength(2);
  const figures = await readAnalytics(store.db, { from: "2026-10-01", to: "2026-10-04" });
  expect(figures.byDay.map((d) => d.questions)).toEqual([1, 1, 1, 1]);
  expect(figures.byDay.map((d) => d.refused)).toEqual([1, 0, 0, 0]);
  expect(figures.measures).toEqual([
    { measureId: "m-1", count: 2 },
    { measureId: "m-2", count: 1 },
  ]);
  await store.close();
}
