import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { ChatModel } from "../../../answer/model/chat-model.js";
import type { LibraryEntry } from "../../../library/entry.js";
import { entryFlags } from "../../../library/flags.js";
import type { QuestionLibrary, ValidInput } from "../../../library/question-library.js";
import { decideSuggestion, findSuggestion, pendingSuggestions, suggestQuestions } from "../../../library/suggestions.js";
import { readCsv, readJsonl, toCsv, toJsonl } from "../../../library/transfer.js";
import { validateEntry } from "../../../library/validate-entry.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { auditTrail } from "../../../store/audit.js";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, PAGE_SIZE, libraryRoutes as routes } from "./library-schemas.js";
import { readCapped } from "./read-capped.js";
import { duringOutage } from "./store-outage.js";

export { MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES } from "./library-schemas.js";

/** What the library routes need: the library, the knowledge base answers come from now, and a model for suggestions. */
export interface LibraryRoutesOptions {
  library: QuestionLibrary;
  knowledgeBase: () => KnowledgeBase;
  store: Store;
  today: () => string;
  requireStaff: MiddlewareHandler<HttpEnv>;
  /** "生成关联问题": on when a chat model and the prompt are configured. */
  suggestions?: { model: ChatModel; prompt: string };
}

export function registerLibraryRoutes(app: OpenAPIHono<HttpEnv>, options: LibraryRoutesOptions): void {
  const { library, store, today, requireStaff } = options;
  app.use("/api/library", requireStaff);
  app.use("/api/library/*", requireStaff);
  const actor = (c: Context<HttpEnv>) => c.get("staff") ?? "unknown";

  function view(entry: LibraryEntry) {
    const kb = options.knowledgeBase();
    const measures = entry.measureIds.flatMap((id) => {
      const measure = kb.measuresById.get(id);
      return measure ? [{ id, path: measure.path.join(" › "), document: kb.documentOf(measure).shortTitle, text: measure.text }] : [];
    });
    return { ...entry, flags: entryFlags(entry, kb, today()), measures };
  }

  app.openapi(routes.list, (c) => {
    const { q, page, flagged } = c.req.valid("query");
    if (flagged === "true") {
      const all = library
        .list({ q, pageSize: Number.MAX_SAFE_INTEGER })
        .entries.map(view)
        .filter((e) => e.flags.length);
      return c.json({ total: all.length, page, pageSize: PAGE_SIZE, entries: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) }, 200);
    }
    const { total, entries } = library.list({ q, page, pageSize: PAGE_SIZE });
    return c.json({ total, page, pageSize: PAGE_SIZE, entries: entries.map(view) }, 200);
  });

  app.openapi(routes.create, async (c) => {
    const valid = validateEntry(c.req.valid("json"), options.knowledgeBase());
    if (!valid.ok) return c.json({ error: `${valid.field}: ${valid.error}`, field: valid.field }, 400);
    const outcome = await duringOutage("save the library entry", () => library.create(valid.value, actor(c)));
    if (!outcome.ok)
      return c.json(
        {
          error: "question: this question is already in the library",
          field: "question",
          existingId: outcome.reason === "duplicate" ? outcome.existingId : undefined,
        },
        409,
      );
    return c.json({ id: outcome.entry.id }, 201);
  });

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid("param");
    const before = library.get(id);
    if (!before) return c.json({ error: `no library entry ${id}` }, 404);
    const patch = c.req.valid("json");
    const merged = { question: before.question, measureIds: before.measureIds, answer: before.answer, refusal: before.refusal, note: before.note, ...patch };
    const valid = validateEntry(merged, options.knowledgeBase());
    if (!valid.ok) return c.json({ error: `${valid.field}: ${valid.error}`, field: valid.field }, 400);
    const outcome = await duringOutage("save the library entry", () => library.update(id, valid.value, actor(c)));
    if (outcome.ok) return c.json(view(outcome.entry), 200);
    if (outcome.reason === "not-found") return c.json({ error: `no library entry ${id}` }, 404);
    return c.json({ error: "question: another entry teaches this question", field: "question" }, 409);
  });

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid("param");
    const deleted = await duringOutage("delete the library entry", () => library.remove(id, actor(c)));
    return deleted ? c.json({ deleted: view(deleted) }, 200) : c.json({ error: `no library entry ${id}` }, 404);
  });

  app.openapi(routes.import, async (c) => {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const read =
      mediaType === "text/csv" ? readCsv : ["application/x-ndjson", "application/jsonl", "application/x-jsonlines"].includes(mediaType) ? readJsonl : undefined;
    if (!read) return c.json({ error: `body: send text/csv or application/x-ndjson (got ${mediaType || "none"})`, field: "body" }, 415);
    const text = await readCapped(c.req.raw, MAX_IMPORT_BYTES);
    if (text === undefined) return c.json({ error: "body: larger than 20 MB", field: "body" }, 413);
    const started = performance.now();
    const lines = read(text);
    if (lines.length > MAX_IMPORT_ENTRIES) return c.json({ error: `body: at most ${MAX_IMPORT_ENTRIES} entries at once`, field: "body" }, 413);
    if (!lines.length) return c.json({ error: "body: no entries", field: "body" }, 400);
    const kb = options.knowledgeBase();
    const valid: ValidInput[] = [];
    for (const [i, line] of lines.entries()) {
      // Checked in slices, so other requests are answered meanwhile.
      if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      if (line.error) return c.json({ error: `line ${line.line}: ${line.error}`, field: `line ${line.line}` }, 400);
      const checked = validateEntry(line.input!, kb);
      if (!checked.ok) return c.json({ error: `line ${line.line}: ${checked.field}: ${checked.error}`, field: `line ${line.line}: ${checked.field}` }, 400);
      valid.push(checked.value);
    }
    const result = await duringOutage("import the library entries", () => library.importMany(valid, actor(c)));
    return c.json({ ...result, seconds: Math.round(performance.now() - started) / 1000 }, 200);
  });

  app.openapi(routes.export, (c) => {
    const { format } = c.req.valid("query");
    const entries = library.all();
    const body = format === "jsonl" ? toJsonl(entries) : toCsv(entries);
    c.header("Content-Disposition", `attachment; filename="question-library.${format}"`);
    return c.body(body, 200, { "Content-Type": format === "jsonl" ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8" }) as never;
  });

  app.openapi(routes.unanswered, async (c) => {
    const items = (await store.unanswered(100)).map((row) => {
      const [taught] = library.nearest(row.question);
      return { ...row, entryId: taught?.entry.id };
    });
    return c.json({ items }, 200);
  });

  app.openapi(routes.unreached, async (c) => {
    const kb = options.knowledgeBase();
    const reached = await duringOutage("read the cited measures", () => library.citedMeasureIds());
    for (const entry of library.all()) for (const id of entry.measureIds) reached.add(id);
    const measures = kb.corpus.measures
      .filter((m) => !reached.has(m.id))
      .map((m) => ({ id: m.id, path: m.path.join(" › "), document: kb.documentOf(m).shortTitle }));
    return c.json({ total: measures.length, measures }, 200);
  });

  const suggestionView = (row: { id: string; measure_id: string; question: string; status: string; created_at: string }) => ({
    id: row.id,
    measureId: row.measure_id,
    question: row.question,
    status: row.status,
    createdAt: row.created_at,
  });

  app.openapi(routes.suggest, async (c) => {
    if (!options.suggestions) return c.json({ error: "no model configured: set OPENAI_BASE_URL or OPENAI_API_KEY to generate questions" }, 503);
    const { measureId, documentId } = c.req.valid("json");
    const kb = options.knowledgeBase();
    const measures = measureId
      ? [kb.measuresById.get(measureId)].filter((m) => m !== undefined)
      : kb.corpus.measures.filter((m) => m.documentId === documentId);
    if (!measures.length)
      return c.json(
        {
          error: measureId ? `measureId: no measure ${measureId}` : `documentId: no document ${documentId ?? ""}`,
          field: measureId ? "measureId" : "documentId",
        },
        400,
      );
    try {
      const rows = await suggestQuestions(
        measures.map((measure) => ({ measure, document: kb.documentOf(measure) })),
        { ...options.suggestions, db: library.db, actor: actor(c), signal: c.req.raw.signal },
      );
      return c.json({ suggestions: rows.map(suggestionView) }, 201);
    } catch (error) {
      return c.json({ error: `the model failed: ${(error as Error).message}` }, 502);
    }
  });

  app.openapi(routes.suggestions, async (c) => c.json({ suggestions: (await pendingSuggestions(library.db)).map(suggestionView) }, 200));

  app.openapi(routes.decide, async (c) => {
    const { id, decision } = c.req.valid("param");
    const suggestion = await findSuggestion(library.db, id);
    if (suggestion?.status !== "pending") return c.json({ error: `no pending suggestion ${id}` }, 404);
    if (decision === "reject") {
      await duringOutage("reject the suggestion", () => decideSuggestion(library.db, id, "rejected"));
      return c.json({}, 200);
    }
    const valid = validateEntry({ question: suggestion.question, measureIds: [suggestion.measure_id], note: "模型建议，人工采纳" }, options.knowledgeBase());
    if (!valid.ok) return c.json({ error: `no pending suggestion ${id}: ${valid.error}` }, 404);
    // The entry and the suggestion's decision are one transaction: a failure leaves neither, so it can be accepted again.
    const outcome = await duringOutage("accept the suggestion", () =>
      library.create(valid.value, actor(c), { alongside: (trx, entryId) => decideSuggestion(trx, id, "accepted", entryId) }),
    );
    if (!outcome.ok) return c.json({ error: "question: this question is already in the library", field: "question" }, 409);
    return c.json({ entryId: outcome.entry.id }, 200);
  });

  // After the fixed paths (export, unanswered, suggestions…), which {id} would otherwise take.
  app.openapi(routes.get, async (c) => {
    const entry = library.get(c.req.valid("param").id);
    if (!entry) return c.json({ error: `no library entry ${c.req.valid("param").id}` }, 404);
    const history = await auditTrail(library.db as never, entry.id);
    return c.json({ ...view(entry), history }, 200);
  });
}
