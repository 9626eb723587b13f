import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../../../../test/fake-openai.js";
import { seedKnowledgeBase, TODAY } from "../../../../test/helpers.js";
import { OpenAIChatModel } from "../../../answer/model/chat-model.js";
import { createAsk } from "../../../core/ask.js";
import { QuestionLibrary } from "../../../library/question-library.js";
import { loadSuggestionPrompt } from "../../../library/suggestions.js";
import { IndexedKnowledgeBase, type KnowledgeBase } from "../../../search/open-knowledge-base.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { createHttpApp } from "../app.js";
import { MAX_IMPORT_BYTES } from "./library.js";

const ADMIN_TOKEN = "zhang:tok-z,li:tok-l";
const zhang = { authorization: "Bearer tok-z" };
const li = { authorization: "Bearer tok-l" };
const REMOTE = { incoming: { socket: { remoteAddress: "203.0.113.7" } } };
const fakeOpenAI = new FakeOpenAI();

let knowledgeBase: KnowledgeBase;
let current: KnowledgeBase;
let app: ReturnType<typeof createHttpApp>;
let library: QuestionLibrary;
let store: ReturnType<typeof openSqliteStore>;
let inspection: string;
let hotline: string;

const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = zhang, contentType = "application/json") =>
  app.request(
    path,
    {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": contentType }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    },
    REMOTE,
  );

beforeAll(async () => {
  await fakeOpenAI.start();
  knowledgeBase = await seedKnowledgeBase();
  current = knowledgeBase;
  inspection = knowledgeBase.corpus.measures.find((m) => m.text.includes("进一次门"))!.id;
  hotline = knowledgeBase.corpus.measures.find((m) => m.text.includes("12348"))!.id;
  store = openSqliteStore(":memory:");
  await store.ready;
  library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  const ask = createAsk({ knowledgeBase: () => current, today: () => TODAY, library });
  app = createHttpApp({
    ask,
    knowledgeBase,
    store,
    today: () => TODAY,
    consoleHtml: "<!doctype html>",
    exampleQuestions: () => [],
    rateLimitPerMinute: 10_000,
    adminToken: ADMIN_TOKEN,
    library: {
      library,
      knowledgeBase: () => current,
      pageHtml: '<!doctype html><script nonce="{{NONCE}}"></script>',
      suggestions: { model: new OpenAIChatModel({ model: "fake", baseURL: fakeOpenAI.url }), prompt: loadSuggestionPrompt("prompts")! },
    },
  });
});
afterAll(() => fakeOpenAI.stop());

describe("question library API", () => {
  it("refuses every library route without the staff token (401), and with the API token alone", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/api/library"],
      ["POST", "/api/library", { question: "问", measureIds: [] }],
      ["GET", "/api/library/x"],
      ["PATCH", "/api/library/x", {}],
      ["DELETE", "/api/library/x"],
      ["POST", "/api/library/import", "question\n问"],
      ["GET", "/api/library/export"],
      ["GET", "/api/library/unanswered"],
      ["GET", "/api/library/unreached"],
      ["GET", "/api/library/suggestions"],
      ["POST", "/api/library/suggestions", { measureId: "x" }],
      ["POST", "/api/library/suggestions/x/accept", {}],
      ["POST", "/api/hit-test", { question: "问" }],
      ["GET", "/api/hit-test/x"],
    ];
    for (const [method, path, body] of routes) {
      const response = await send(method, path, body, {}, path.endsWith("/import") ? "text/csv" : "application/json");
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it("creates, reads, changes and deletes an entry, recording who did each", async () => {
    const created = await send("POST", "/api/library", { question: "饭店老被查怎么办？", measureIds: [inspection], note: "热线常见" });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const read = await (await send("GET", `/api/library/${id}`)).json();
    expect(read).toMatchObject({ question: "饭店老被查怎么办？", measureIds: [inspection], createdBy: "zhang", hitCount: 0, flags: [] });
    expect(read.measures[0].text).toContain("进一次门");

    const changed = await send("PATCH", `/api/library/${id}`, { note: "改过" }, li);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ note: "改过", updatedBy: "li", createdBy: "zhang", measureIds: [inspection] });
    const history = (await (await send("GET", `/api/library/${id}`)).json()).history;
    expect(history.map((h: { actor: string; action: string }) => `${h.actor} ${h.action}`)).toEqual(["li library.update", "zhang library.create"]);

    expect((await send("DELETE", `/api/library/${id}`)).status).toBe(200);
    expect((await send("GET", `/api/library/${id}`)).status).toBe(404);
    expect((await send("PATCH", `/api/library/${id}`, { note: "x" })).status).toBe(404);
    expect((await send("DELETE", `/api/library/${id}`)).status).toBe(404);
  });

  it("masks personal numbers in taught questions and notes, as in stored questions", async () => {
    const { id } = await (
      await send("POST", "/api/library", { question: "我手机13912345678，检测费能减吗？", measureIds: [inspection], note: "来电13912345678" })
    ).json();
    const entry = await (await send("GET", `/api/library/${id}`)).json();
    expect(entry.question).toBe("我手机[手机号],检测费能减吗？");
    expect(entry.note).toBe("来电[手机号]");
    expect(JSON.stringify(entry.history)).not.toContain("13912345678");
    // The same question with another number is the same taught question.
    expect((await send("POST", "/api/library", { question: "我手机13800000000，检测费能减吗？", measureIds: [inspection] })).status).toBe(409);
    await send("DELETE", `/api/library/${id}`);
  });

  it("refuses bad input with a 400 naming the field: empty question, unknown measure, a refusal with clauses, an answer failing verification", async () => {
    const cases: Array<[unknown, string]> = [
      [{ question: "  ", measureIds: [inspection] }, "question"],
      [{ measureIds: [inspection] }, "question"],
      [{ question: "问题", measureIds: [inspection, "no-such-measure"] }, "measureIds.1"],
      [{ question: "问题", measureIds: [] }, "measureIds"],
      [{ question: "问题", measureIds: [inspection], refusal: "personal-matter" }, "refusal"],
      [{ question: "问题", measureIds: [], refusal: "made-up" }, "refusal"],
      [{ question: "免费法律咨询电话？", measureIds: [hotline], answer: "可以拨打12345热线[1]。" }, "answer"],
      [{ question: "免费法律咨询电话？", measureIds: [hotline], answer: "可以拨打12348热线[2]。" }, "answer"],
      // A reviewed answer is served as it is, so it passes the same allow-list as a model's: 一半, 贰万元 and a WeChat handle are in no linked clause.
      [{ question: "免费法律咨询电话？", measureIds: [hotline], answer: "减免一半，最高补贴贰万元，请加微信 jl2023 办理[1]。" }, "answer"],
      [{ question: "免费法律咨询电话？", measureIds: [hotline], answer: "请拨打一三八零零一三八零零零或访问 12348[.]xj[.]cn 咨询[1]。" }, "answer"],
    ];
    for (const [body, field] of cases) {
      const response = await send("POST", "/api/library", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).field, JSON.stringify(body)).toBe(field);
    }
    const verified = await send("POST", "/api/library", {
      question: "免费法律咨询电话？",
      measureIds: [hotline],
      answer: "可以拨打12348公共法律服务热线[1]。",
    });
    expect(verified.status).toBe(201);
    // Changing the answer, or importing one, goes through the same check.
    const { id } = await verified.clone().json();
    const patched = await send("PATCH", `/api/library/${id}`, { answer: "可以拨打12348热线，全部免费，请加微信 jl2023 咨询[1]。" });
    expect(patched.status).toBe(400);
    expect((await patched.json()).field).toBe("answer");
    expect((await (await send("GET", `/api/library/${id}`)).json()).answer).toBe("可以拨打12348公共法律服务热线[1]。");
    const imported = await send(
      "POST",
      "/api/library/import",
      `${JSON.stringify({ question: "法律咨询收费吗？", measureIds: [hotline], answer: "法律咨询费用减半[1]。" })}\n`,
      zhang,
      "application/x-ndjson",
    );
    expect(imported.status).toBe(400);
    expect((await imported.json()).field).toBe("line 1: answer");
    const duplicate = await send("POST", "/api/library", { question: "免费法律咨询电话", measureIds: [hotline] });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).existingId).toBe((await verified.json()).id);
  });

  it("imports CSV and JSONL, refuses a file with one bad line naming it, and exports what it imported", async () => {
    const csv = `question,measureIds,answer,refusal,note\n"刻章要跑几趟,3天能好？",${inspection},,,\n怎么查个人公积金？,,,personal-matter,"说明, 带""引号"""\n`;
    const imported = await send("POST", "/api/library/import", csv, zhang, "text/csv");
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ created: 2, updated: 0 });
    const jsonl = `${JSON.stringify({ question: "刻章要跑几趟,3天能好？", measureIds: [hotline] })}\n${JSON.stringify({ question: "新问题一", measureIds: [inspection] })}\n`;
    expect(await (await send("POST", "/api/library/import", jsonl, zhang, "application/x-ndjson")).json()).toMatchObject({ created: 1, updated: 1 });

    const bad = await send(
      "POST",
      "/api/library/import",
      `${JSON.stringify({ question: "好问题", measureIds: [inspection] })}\n${JSON.stringify({ question: "坏问题", measureIds: ["gone"] })}\n`,
      zhang,
      "application/x-ndjson",
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^line 2: measureIds\.0: no measure gone/);
    expect((await (await send("GET", "/api/library?q=好问题")).json()).total).toBe(0);
    expect((await send("POST", "/api/library/import", "{oops", zhang, "application/x-ndjson")).status).toBe(400);
    expect((await send("POST", "/api/library/import", "question,colour\n问,红", zhang, "text/csv")).status).toBe(400);
    expect((await send("POST", "/api/library/import", "question\n问", zhang, "text/plain")).status).toBe(415);

    const exported = await send("GET", "/api/library/export?format=csv");
    expect(exported.headers.get("content-type")).toContain("text/csv");
    const text = await exported.text();
    expect(text).toContain('"刻章要跑几趟,3天能好？"');
    expect(text).toContain('"说明, 带""引号"""');
    const lines = (await (await send("GET", "/api/library/export?format=jsonl")).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.question === "刻章要跑几趟,3天能好？").measureIds).toEqual([hotline]);
    expect(lines.find((l) => l.question === "怎么查个人公积金？").refusal).toBe("personal-matter");
  });

  it("flags an entry whose measure left the knowledge base, and never answers from it", async () => {
    const { id } = await (await send("POST", "/api/library", { question: "检测机构的检测费怎么收？", measureIds: [inspection] })).json();
    const without = knowledgeBase.corpus.measures.filter((m) => m.id !== inspection);
    current = new IndexedKnowledgeBase({ ...knowledgeBase.corpus, measures: without }, knowledgeBase.index, knowledgeBase.retriever, knowledgeBase.lexicon);
    try {
      const entry = await (await send("GET", `/api/library/${id}`)).json();
      expect(entry.flags).toEqual([expect.objectContaining({ kind: "removed", measureId: inspection })]);
      const flagged = await (await send("GET", "/api/library?flagged=true")).json();
      expect(flagged.entries.map((e: { id: string }) => e.id)).toContain(id);
      const answer = await (await send("POST", "/api/ask", { question: "检测机构的检测费怎么收？" })).json();
      expect(answer.refused).toBe(true);
      expect(answer.citations).toEqual([]);
    } finally {
      current = knowledgeBase;
    }
    // A repealed document's clause: flagged, and the answer says the document was repealed.
    const measure = knowledgeBase.measuresById.get(inspection)!;
    const documents = knowledgeBase.corpus.documents.map((d) =>
      d.id === measure.documentId ? { ...d, retired: { kind: "repealed" as const, date: "2026-01-01" } } : d,
    );
    current = new IndexedKnowledgeBase({ ...knowledgeBase.corpus, documents }, knowledgeBase.index, knowledgeBase.retriever, knowledgeBase.lexicon);
    try {
      const entry = await (await send("GET", `/api/library/${id}`)).json();
      expect(entry.flags).toEqual([expect.objectContaining({ kind: "retired", measureId: inspection })]);
      expect(entry.flags[0].text).toContain("已废止");
      const answer = await (await send("POST", "/api/ask", { question: "检测机构的检测费怎么收？" })).json();
      expect(answer.citations[0]).toMatchObject({ measureId: inspection, status: "ended" });
      expect(answer.answer).toContain("废止");
    } finally {
      current = knowledgeBase;
    }
  });

  it("serves a reviewed answer only while it still verifies: one saved under older checks quotes its clauses instead", async () => {
    const good = "法律咨询打哪个电话？";
    expect((await send("POST", "/api/library", { question: good, measureIds: [hotline], answer: "可以拨打12348公共法律服务热线咨询[1]。" })).status).toBe(201);
    expect((await (await send("POST", "/api/ask", { question: good })).json()).answer).toContain("可以拨打12348公共法律服务热线咨询");
    // Written to the library directly, as the older, deny-list check let it through.
    const bad = "法律咨询热线怎么收费？";
    const saved = await library.create({ question: bad, measureIds: [hotline], answer: "减免一半，最高补贴贰万元，请加微信 jl2023 办理[1]。" }, "zhang");
    expect(saved.ok).toBe(true);
    const served = await (await send("POST", "/api/ask", { question: bad })).json();
    expect(served.answer).not.toContain("jl2023");
    expect(served.answer).not.toContain("贰万元");
    expect(served.answer).toContain("12348");
    const flagged = await (await send("GET", `/api/library/${saved.ok && saved.entry.id}`)).json();
    expect(flagged.flags).toEqual([expect.objectContaining({ kind: "unverified", measureId: hotline })]);
    expect(flagged.flags[0].text).toContain("jl2023");
  });

  it("explains a question in the hit test: scores, library entries, decision and reason; and a stored answer by its id", async () => {
    const question = "公司门前的招牌要不要审批？";
    const before = await (await send("POST", "/api/hit-test", { question })).json();
    expect(before.hits.length).toBeLessThanOrEqual(10);
    expect(Object.keys(before.hits[0]).sort()).toEqual(["coverage", "document", "fused", "keyword", "measureId", "path", "taught", "text", "vector"]);
    expect(before.library).toEqual([]);
    await send("POST", "/api/library", { question, measureIds: [hotline] });
    const after = await (await send("POST", "/api/hit-test", { question })).json();
    expect(after.library[0]).toMatchObject({ kind: "near-duplicate", similarity: 1, measureIds: [hotline] });
    expect(after.reason).toContain("问题库");
    expect(after.answer.citations[0]).toBe(hotline);
    // A hit test is not a hit.
    expect((await (await send("GET", `/api/library/${after.library[0].entryId}`)).json()).hitCount).toBe(0);
    expect((await send("POST", "/api/hit-test", { question: "" })).status).toBe(400);
    // The answer, and the stored turn, say which entry it came from.
    const taught = await (await send("POST", "/api/ask", { question })).json();
    expect(taught.libraryEntryId).toBe(after.library[0].entryId);
    const row = await store.db.selectFrom("turns").select("library_entry_id").where("id", "=", taught.answerId).executeTakeFirst();
    expect(row?.library_entry_id).toBe(taught.libraryEntryId);

    const asked = await (await send("POST", "/api/ask", { question: "上海市对餐饮企业有没有房租减免政策？" })).json();
    const stored = await (await send("GET", `/api/hit-test/${asked.answerId}`)).json();
    expect(stored).toMatchObject({ decision: "refuse", question: "上海市对餐饮企业有没有房租减免政策？" });
    expect((await send("GET", "/api/hit-test/no-such-answer")).status).toBe(404);
  });

  it("lists unanswered questions with the entry that now answers them, and the measures nothing has reached", async () => {
    const refused = await (await send("POST", "/api/ask", { question: "上海市对餐饮企业有没有房租减免政策？" })).json();
    expect(refused.refused).toBe(true);
    const before = (await (await send("GET", "/api/library/unanswered")).json()).items.find((i: { answerId: string }) => i.answerId === refused.answerId);
    expect(before.entryId).toBeUndefined();
    const { id } = await (
      await send("POST", "/api/library", { question: "上海市对餐饮企业有没有房租减免政策？", measureIds: [], refusal: "other-region" })
    ).json();
    const after = (await (await send("GET", "/api/library/unanswered")).json()).items.find((i: { answerId: string }) => i.answerId === refused.answerId);
    expect(after.entryId).toBe(id);
    const unreached = await (await send("GET", "/api/library/unreached")).json();
    expect(unreached.total).toBeGreaterThan(0);
    expect(unreached.measures.map((m: { id: string }) => m.id)).not.toContain(inspection);
  });

  it("asks the model for related questions, which wait for a person to accept or reject them", async () => {
    fakeOpenAI.queue.push({ kind: "reply", content: "1. 开饭店总有人来检查怎么办？\n2. 能不能少查几次？\n- 检查太多影响营业怎么办\n好" });
    const made = await send("POST", "/api/library/suggestions", { measureId: inspection });
    expect(made.status).toBe(201);
    const { suggestions } = await made.json();
    expect(suggestions.map((s: { question: string }) => s.question)).toEqual(["开饭店总有人来检查怎么办？", "能不能少查几次？", "检查太多影响营业怎么办"]);
    expect(JSON.stringify(fakeOpenAI.chatRequests().at(-1)?.body)).toContain("进一次门");
    // Nothing answers from a suggestion until it is accepted.
    expect(library.match("开饭店总有人来检查怎么办？")).toBeUndefined();
    const accepted = await (await send("POST", `/api/library/suggestions/${suggestions[0].id}/accept`, {})).json();
    expect(library.get(accepted.entryId)).toMatchObject({ question: "开饭店总有人来检查怎么办？", measureIds: [inspection] });
    expect((await send("POST", `/api/library/suggestions/${suggestions[1].id}/reject`, {})).status).toBe(200);
    const pending = (await (await send("GET", "/api/library/suggestions")).json()).suggestions;
    expect(pending.map((s: { id: string }) => s.id)).toEqual([suggestions[2].id]);
    expect((await send("POST", `/api/library/suggestions/${suggestions[1].id}/accept`, {})).status).toBe(404);
    expect((await send("POST", "/api/library/suggestions", { measureId: "nope" })).status).toBe(400);
    fakeOpenAI.queue.push({ kind: "status", status: 500 });
    expect((await send("POST", "/api/library/suggestions", { measureId: inspection })).status).toBe(502);
  });

  it("describes every library route in the OpenAPI spec and serves the staff page with a nonce", async () => {
    const spec = await (await app.request("/api/openapi.json")).json();
    const served = app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const described = Object.entries(spec.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(served.filter((route) => !described.includes(route))).toEqual([]);
    expect(described).toContain("post /api/library/import");
    const page = await app.request("/staff/library");
    expect(page.headers.get("content-security-policy")).toContain("nonce-");
    expect(await page.text()).not.toContain("{{NONCE}}");
  });

  it("a chunked import (no Content-Length) past 20 MB is refused with 413 once the cap is passed, not after reading it whole", async () => {
    const chunk = new TextEncoder().encode(`${"问".repeat(349_525)}\n`); // about 1 MB
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("question\n"));
      },
      pull(controller) {
        // 40 MB on offer: the route must stop asking for more soon after 20 MB.
        if (pulled >= 40 * chunk.byteLength) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await app.request(
      "/api/library/import",
      { method: "POST", headers: { ...zhang, "content-type": "text/csv" }, body, duplex: "half" } as RequestInit,
      REMOTE,
    );
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(MAX_IMPORT_BYTES + 3 * chunk.byteLength);
  });

  it("CSV import reads quoted fields with commas, quotes and line breaks, and names the line of a broken quote", async () => {
    const csv = `\ufeffquestion,measureIds,note\r\n"饭店, ""老""被查\n怎么办",${inspection},多行\n`;
    expect((await send("POST", "/api/library/import", csv, zhang, "text/csv")).status).toBe(200);
    expect(library.taught('饭店, "老"被查\n怎么办')?.note).toBe("多行");
    const broken = await send("POST", "/api/library/import", `question,measureIds\n好问题,${inspection}\n"没有收尾的引号,${inspection}\n`, zhang, "text/csv");
    expect(broken.status).toBe(400);
    expect((await broken.json()).field).toMatch(/^line \d+/);
  });
});
