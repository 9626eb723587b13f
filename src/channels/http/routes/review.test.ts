import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase, TODAY } from "../../../../test/helpers.js";
import { createAsk } from "../../../core/ask.js";
import { QuestionLibrary } from "../../../library/question-library.js";
import type { ReviewCluster } from "../../../review/review-queue.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { openSqliteStore } from "../../../store/sqlite-store.js";
import { createHttpApp } from "../app.js";

const staff = { authorization: "Bearer tok-z" };
const REMOTE = { incoming: { socket: { remoteAddress: "203.0.113.7" } } };
const WENGANG = ["稳岗返还今年还能申请吗", "今年还有稳岗返还吗", "稳岗返还怎么申请", "失业保险稳岗返还还发不发"];

let app: ReturnType<typeof createHttpApp>;
let knowledgeBase: KnowledgeBase;
let library: QuestionLibrary;
let store: ReturnType<typeof openSqliteStore>;

const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = staff) =>
  app.request(
    path,
    {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    REMOTE,
  );
const ask = async (question: string) =>
  (await (await send("POST", "/api/ask", { question }, {})).json()) as { answerId: string; libraryEntryId?: string; citations: Array<{ measureId?: string }> };
const clusters = async () => ((await (await send("GET", "/api/review/clusters")).json()) as { clusters: ReviewCluster[] }).clusters;

beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
  store = openSqliteStore(":memory:");
  await store.ready;
  library = await QuestionLibrary.open({ db: store.db, sqlite: store.sqlite });
  app = createHttpApp({
    ask: createAsk({ knowledgeBase, today: () => TODAY, library }),
    knowledgeBase,
    store,
    today: () => TODAY,
    consoleHtml: "<!doctype html>",
    exampleQuestions: () => [],
    rateLimitPerMinute: 10_000,
    adminToken: "zhang:tok-z",
    library: { library, knowledgeBase: () => knowledgeBase, pageHtml: "<!doctype html>" },
  });
});

describe("待复核 review queue", () => {
  it("is for staff only: without the staff token every review route is refused", async () => {
    expect((await send("GET", "/api/review/clusters", undefined, {})).status).toBe(401);
    expect((await send("POST", "/api/review/clusters/x/teach", { measureIds: ["m"] }, {})).status).toBe(401);
  });

  it("finds 稳岗返还 questions the documents have no clause for as one cluster, and teaches every paraphrase in one step", async () => {
    for (const question of WENGANG) await ask(question);
    // An answer that is right (the clause names 歇业) and one nothing matched.
    await ask("个体工商户歇业备案最长能保留多久");
    await ask("稳岗补贴还能领吗");
    const all = await clusters();
    const wengang = all.find((c) => c.examples.includes("稳岗返还今年还能申请吗"))!;
    expect(wengang.examples).toEqual(expect.arrayContaining([...WENGANG, "稳岗补贴还能领吗"]));
    expect(wengang.size).toBe(5);
    // The bot now says plainly that no clause speaks of 稳岗返还: five refusals of one need, one cluster.
    expect(wengang.reasons.find((r) => r.kind === "refused")?.count).toBe(5);
    expect(wengang.firstSeen <= wengang.lastSeen).toBe(true);
    // Social insurance (保险) clauses lead the suggestions.
    expect(wengang.suggestedMeasures[0].text).toContain("保险");
    expect(wengang.suggestedMeasures.some((m) => /稳岗|失业保险/.test(m.text))).toBe(true);
    expect(all.flatMap((c) => c.examples)).not.toContain("个体工商户歇业备案最长能保留多久");

    const target = knowledgeBase.corpus.measures.find((m) => m.text.includes("稳岗扩岗"))!;
    const taught = await send("POST", `/api/review/clusters/${wengang.id}/teach`, { measureIds: [target.id] });
    expect(taught.status).toBe(201);
    const { created, skipped } = (await taught.json()) as { created: Array<{ question: string; entryId: string }>; skipped: unknown[] };
    expect(created.map((c) => c.question).sort()).toEqual([...wengang.examples].sort());
    expect(skipped).toEqual([]);
    for (const { question, entryId } of created) {
      expect(library.get(entryId)?.question).toBe(question);
      expect(library.get(entryId)?.measureIds).toEqual([target.id]);
    }

    // Every paraphrase is answered from the taught clause now, and the cluster has left the queue.
    const again = await ask("今年还有稳岗返还吗");
    expect(again.libraryEntryId).toBeDefined();
    expect(again.citations[0].measureId).toBe(target.id);
    expect((await clusters()).find((c) => c.id === wengang.id)).toBeUndefined();
    // The old list of unanswered questions still answers.
    expect((await send("GET", "/api/library/unanswered")).status).toBe(200);
  });

  it("answers 404 for a cluster no longer in the queue, and 400 naming an unknown measure", async () => {
    expect((await send("POST", "/api/review/clusters/nope/teach", { measureIds: [knowledgeBase.corpus.measures[0].id] })).status).toBe(404);
    await ask("店铺房租今年能减免多少？");
    const [first] = await clusters();
    const response = await send("POST", `/api/review/clusters/${first.id}/teach`, { measureIds: ["no-such-measure"] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { field: string }).field).toBe("measureIds.0");
    const stranger = await send("POST", `/api/review/clusters/${first.id}/teach`, {
      measureIds: [knowledgeBase.corpus.measures[0].id],
      questions: ["别的问题"],
    });
    expect([stranger.status, ((await stranger.json()) as { field: string }).field]).toEqual([400, "questions"]);
  });

  it("lists confident answers whose cited clauses never speak of the question's topic, as one cluster marked suspect", async () => {
    // A wrong answer of the kind a model (or an older reading) gives: the fraud-refund clause for a subsidy nobody wrote.
    const fraud = await createAsk({ knowledgeBase, today: () => TODAY })("涉企电信诈骗被骗的钱能快速返还吗");
    expect(fraud.outcome).toBe("answered");
    for (const question of ["创业担保贷款贴息今年还有吗", "创业担保贷款还能贴息吗"])
      await store.recordTurn({ channel: "web", question, answer: { ...fraud, resolvedQuestion: question } });
    const suspect = (await clusters()).find((c) => c.examples.includes("创业担保贷款贴息今年还有吗"));
    expect(suspect?.examples).toContain("创业担保贷款还能贴息吗");
    expect(suspect?.reasons.map((r) => r.kind)).toContain("suspect-topic");
  });
});
