import { createRoute, z } from "@hono/zod-openapi";
import { TEACHABLE_REFUSALS } from "../../../library/entry.js";
import { errorResponse, jsonContent, UnansweredSchema } from "../schemas.js";

/* The library routes' request and response schemas, as the OpenAPI document shows them; the handlers are in library.ts. */

/** A bulk import may be this large (10,000 entries with reviewed answers fit several times). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ENTRIES = 50_000;
export const PAGE_SIZE = 20;
const staffSecurity = [{ staff: [] }];
const staffErrors = {
  401: errorResponse("Wrong or missing ADMIN_TOKEN"),
  403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine"),
  503: errorResponse("The database cannot be reached (PostgreSQL down or restarting); try again after Retry-After seconds"),
};

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

export const libraryRoutes = {
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
      ...staffErrors,
      503: errorResponse("No model configured, or the database cannot be reached"),
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
