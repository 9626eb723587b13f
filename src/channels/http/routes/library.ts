import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { sql } from "kysely";
import type { ChatModel } from "../../../answer/model/chat-model.js";
import type { LibraryEntry } from "../../../library/entry.js";
import { TEACHABLE_REFUSALS } from "../../../library/entry.js";
import { entryFlags } from "../../../library/flags.js";
import type { QuestionLibrary, ValidInput } from "../../../library/question-library.js";
import { decideSuggestion, findSuggestion, pendingSuggestions, suggestQuestions } from "../../../library/suggestions.js";
import { readCsv, readJsonl, toCsv, toJsonl } from "../../../library/transfer.js";
import { validateEntry } from "../../../library/validate-entry.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { auditTrail } from "../../../store/audit.js";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { errorResponse, jsonContent, UnansweredSchema } from "../schemas.js";

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

/** A bulk import may be this large (10,000 entries with reviewed answers fit several times). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ENTRIES = 50_000;
const PAGE_SIZE = 20;
const staffSecurity = [{ staff: [] }];
const staffErrors = { 401: errorResponse("Wrong or missing ADMIN_TOKEN"), 403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine") };

const EntryInput = z
  .object({
    question: z
      .string({ required_error: "question is required" })
      .trim()
      .min(1, "question must not be empty")
      .max(500, "question must be at most 500 characters"),
    measureIds: z.array(z.string().max(200)).max(20, "link at most 20 measures").default([]),
    answer: z
      .string()
      .max(2000)
      .optional()
      .openapi({ description: "A reviewed answer citing the linked measures as [1], [2]… in order; verified before it is saved." }),
    refusal: z.enum(TEACHABLE_REFUSALS).optional().openapi({ description: "应拒答: the refusal to give instead of an answer." }),
    note: z.string().max(1000).optional(),
  })
  .openapi("LibraryEntryInput");
const EntryPatch = EntryInput.partial().openapi("LibraryEntryPatch");

const Flag = z.object({ kind: z.enum(["removed", "retired", "ended", "unverified"]), measureId: z.string(), text: z.string() });
const EntrySchema = z
  .object({
    id: z.string(),
    question: z.string(),
    measureIds: z.array(z.string()),
    answer: z.string().optional(),
    refusal: z.string().optional(),
    note: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    hitCount: z.number().int(),
    lastHitAt: z.string().optional(),
    flags: z.array(Flag),
    measures: z.array(z.object({ id: z.string(), path: z.string(), document: z.string(), text: z.string() })),
  })
  .openapi("LibraryEntry");
const Id = z.object({ id: z.string().min(1) });
const ImportResult = z.object({ created: z.number().int(), updated: z.number().int(), seconds: z.number() });
const Suggestion = z
  .object({ id: z.string(), measureId: z.string(), question: z.string(), status: z.string(), createdAt: z.string() })
  .openapi("LibrarySuggestion");

const routes = {
  list: createRoute({
    method: "get",
    path: "/api/library",
    summary: "The question library: search, 20 a page, with hit counts, last hit and flags (staff)",
    security: staffSecurity,
    request: {
      query: z.object({ q: z.string().max(200).optional(), page: z.coerce.number().int().min(1).default(1), flagged: z.enum(["true", "false"]).optional() }),
    },
    responses: {
      200: jsonContent(z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), entries: z.array(EntrySchema) }), "A page"),
      400: errorResponse("Invalid query"),
      ...staffErrors,
    },
  }),
  create: createRoute({
    method: "post",
    path: "/api/library",
    summary: "Teach a question: link measures, write a reviewed answer, or mark it 应拒答 (staff)",
    security: staffSecurity,
    request: { body: { content: { "application/json": { schema: EntryInput } }, required: true } },
    responses: {
      201: jsonContent(z.object({ id: z.string() }), "Created"),
      400: errorResponse("Invalid input, an unknown measure id or an answer that fails verification, naming the field"),
      409: errorResponse("The question is already taught (existingId)"),
      ...staffErrors,
    },
  }),
  get: createRoute({
    method: "get",
    path: "/api/library/{id}",
    summary: "One entry with its linked clauses, flags and history (staff)",
    security: staffSecurity,
    request: { params: Id },
    responses: { 200: jsonContent(EntrySchema.extend({ history: z.array(z.any()) }), "The entry"), 404: errorResponse("No such entry"), ...staffErrors },
  }),
  update: createRoute({
    method: "patch",
    path: "/api/library/{id}",
    summary: "Change an entry; fields left out keep their value (staff)",
    security: staffSecurity,
    request: { params: Id, body: { content: { "application/json": { schema: EntryPatch } }, required: true } },
    responses: {
      200: jsonContent(EntrySchema, "Changed"),
      400: errorResponse("Invalid input"),
      404: errorResponse("No such entry"),
      409: errorResponse("Another entry teaches that question"),
      ...staffErrors,
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/api/library/{id}",
    summary: "Delete an entry; the question is answered as before at once (staff)",
    security: staffSecurity,
    request: { params: Id },
    responses: {
      200: jsonContent(z.object({ deleted: EntrySchema }), "Deleted; send it back with POST to undo"),
      404: errorResponse("No such entry"),
      ...staffErrors,
    },
  }),
  import: createRoute({
    method: "post",
    path: "/api/library/import",
    summary:
      "Bulk import (text/csv with a header row, or application/x-ndjson): all lines are checked first, nothing is saved if one is wrong; a taught question is replaced (staff)",
    security: staffSecurity,
    request: { body: { content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } }, required: true } },
    responses: {
      200: jsonContent(ImportResult, "Imported"),
      400: errorResponse("A line is wrong: the line and field are named"),
      413: errorResponse("Larger than 20 MB or 50,000 entries"),
      415: errorResponse("Neither CSV nor JSONL"),
      ...staffErrors,
    },
  }),
  export: createRoute({
    method: "get",
    path: "/api/library/export",
    summary: "The whole library as CSV or JSONL, in the import format (staff)",
    security: staffSecurity,
    request: { query: z.object({ format: z.enum(["csv", "jsonl"]).default("csv") }) },
    responses: {
      200: { content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } }, description: "The file" },
      ...staffErrors,
    },
  }),
  unanswered: createRoute({
    method: "get",
    path: "/api/library/unanswered",
    summary: "Refused or rated-down questions, each with the library entry that now answers it, if any (staff)",
    security: staffSecurity,
    responses: { 200: jsonContent(z.object({ items: z.array(UnansweredSchema.extend({ entryId: z.string().optional() })) }), "Rows"), ...staffErrors },
  }),
  unreached: createRoute({
    method: "get",
    path: "/api/library/unreached",
    summary: "Measures no library entry links and no stored answer (within RETENTION_DAYS) has cited (staff)",
    security: staffSecurity,
    responses: {
      200: jsonContent(
        z.object({ total: z.number().int(), measures: z.array(z.object({ id: z.string(), path: z.string(), document: z.string() })) }),
        "Measures",
      ),
      ...staffErrors,
    },
  }),
  suggest: createRoute({
    method: "post",
    path: "/api/library/suggestions",
    summary: "生成关联问题: a model proposes questions for a measure or every measure of a document; they wait for a person (staff)",
    security: staffSecurity,
    request: {
      body: { content: { "application/json": { schema: z.object({ measureId: z.string().optional(), documentId: z.string().optional() }) } }, required: true },
    },
    responses: {
      201: jsonContent(z.object({ suggestions: z.array(Suggestion) }), "Proposed, pending"),
      400: errorResponse("Name a known measureId or documentId"),
      502: errorResponse("The model failed"),
      503: errorResponse("No model configured"),
      ...staffErrors,
    },
  }),
  suggestions: createRoute({
    method: "get",
    path: "/api/library/suggestions",
    summary: "Proposed questions waiting for a person (staff)",
    security: staffSecurity,
    responses: { 200: jsonContent(z.object({ suggestions: z.array(Suggestion) }), "Pending"), ...staffErrors },
  }),
  decide: createRoute({
    method: "post",
    path: "/api/library/suggestions/{id}/{decision}",
    summary: "Accept a proposed question (it becomes an entry linked to its measure) or reject it (staff)",
    security: staffSecurity,
    request: { params: z.object({ id: z.string(), decision: z.enum(["accept", "reject"]) }) },
    responses: {
      200: jsonContent(z.object({ entryId: z.string().optional() }), "Decided"),
      404: errorResponse("No such pending suggestion"),
      409: errorResponse("The question is already taught"),
      ...staffErrors,
    },
  }),
};

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
    const outcome = await library.create(valid.value, actor(c));
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
    const outcome = await library.update(id, valid.value, actor(c));
    if (outcome.ok) return c.json(view(outcome.entry), 200);
    if (outcome.reason === "not-found") return c.json({ error: `no library entry ${id}` }, 404);
    return c.json({ error: "question: another entry teaches this question", field: "question" }, 409);
  });

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid("param");
    const deleted = await library.remove(id, actor(c));
    return deleted ? c.json({ deleted: view(deleted) }, 200) : c.json({ error: `no library entry ${id}` }, 404);
  });

  app.openapi(routes.import, async (c) => {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const read =
      mediaType === "text/csv" ? readCsv : ["application/x-ndjson", "application/jsonl", "application/x-jsonlines"].includes(mediaType) ? readJsonl : undefined;
    if (!read) return c.json({ error: `body: send text/csv or application/x-ndjson (got ${mediaType || "none"})`, field: "body" }, 415);
    if (Number(c.req.header("content-length") ?? 0) > MAX_IMPORT_BYTES) return c.json({ error: "body: larger than 20 MB", field: "body" }, 413);
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return c.json({ error: "body: larger than 20 MB", field: "body" }, 413);
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
    const result = await library.importMany(valid, actor(c));
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
    const reached = new Set(library.all().flatMap((e) => e.measureIds));
    // Read in code, not with a dialect's JSON functions, so it runs on SQLite and PostgreSQL alike.
    const { rows } = await sql<{ citations: string }>`SELECT citations FROM turns`.execute(library.db);
    for (const row of rows)
      for (const citation of JSON.parse(row.citations) as Array<{ measureId?: string }>) if (citation.measureId) reached.add(citation.measureId);
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
      await decideSuggestion(library.db, id, "rejected");
      return c.json({}, 200);
    }
    const valid = validateEntry({ question: suggestion.question, measureIds: [suggestion.measure_id], note: "模型建议，人工采纳" }, options.knowledgeBase());
    if (!valid.ok) return c.json({ error: `no pending suggestion ${id}: ${valid.error}` }, 404);
    const outcome = await library.create(valid.value, actor(c));
    if (!outcome.ok) return c.json({ error: "question: this question is already in the library", field: "question" }, 409);
    await decideSuggestion(library.db, id, "accepted", outcome.entry.id);
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
