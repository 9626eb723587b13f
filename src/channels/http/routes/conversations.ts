import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { decodeCursor, eachLogRow, type LogFilters, type LogRow, readLog } from "../../../store/conversation-log.js";
import { OUTCOMES } from "../../../store/outcome.js";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { labelOf, withLabels } from "../log-labels.js";
import { servePage } from "../middleware/page-headers/index.js";
import { errorResponse, jsonContent } from "../schemas.js";

export interface ConversationRoutesOptions {
  store: Store;
  requireStaff: MiddlewareHandler<HttpEnv>;
  /** The page at /staff/conversations (`loadConversationsHtml()`). */
  pageHtml: string;
}

/** The conversation log's staff page, its labels filled in, read when the server starts. */
export function loadConversationsHtml(): string {
  return withLabels(readFileSync(new URL("../conversations.html", import.meta.url), "utf8"));
}

const staffSecurity = [{ staff: [] }];
const staffErrors = { 401: errorResponse("Wrong or missing ADMIN_TOKEN"), 403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine") };
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day as YYYY-MM-DD");

const Filters = z.object({
  from: day.optional().openapi({ description: "First UTC day, included" }),
  to: day.optional().openapi({ description: "Last UTC day, included" }),
  channel: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: "web, api, slack, wechaty, wechat-mp (公众号), wecom (企业微信); wechat for turns stored before those were told apart" }),
  outcome: z
    .enum([...OUTCOMES, "not-stated"])
    .optional()
    .openapi({ description: "not-stated: answered, saying the documents do not state what was asked" }),
  reason: z.string().max(40).optional().openapi({ description: "A refusal reason (no-match, other-region, …, not-stated)" }),
  measureId: z.string().max(200).optional().openapi({ description: "Turns citing this measure" }),
  q: z.string().trim().max(200).optional().openapi({ description: "Text in the question or the answer" }),
  rating: z.enum(["up", "down"]).optional(),
  conversationId: z.string().max(200).optional(),
});

const LogRowSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    createdAt: z.string(),
    channel: z.string(),
    question: z.string(),
    resolvedQuestion: z.string().optional(),
    answer: z.string(),
    outcome: z.string(),
    refusalReason: z.string().optional(),
    notStated: z.boolean(),
    confidence: z.string().optional(),
    mode: z.string(),
    libraryEntryId: z.string().optional(),
    citations: z.array(
      z.object({ marker: z.number(), measureId: z.string().optional(), document: z.string(), docNumber: z.string().optional(), path: z.string() }),
    ),
    ratings: z.array(z.object({ rating: z.string(), comment: z.string().optional(), createdAt: z.string() })),
  })
  .openapi("ConversationTurn");

const routes = {
  page: createRoute({
    method: "get",
    path: "/staff/conversations",
    summary: "The conversation log's staff page (HTML; its API calls need staff)",
    security: [],
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
  }),
  list: createRoute({
    method: "get",
    path: "/api/conversations",
    summary: "Every stored turn, newest first, filtered; personal numbers masked; `next` is the cursor of the next page (staff)",
    security: staffSecurity,
    request: {
      query: Filters.extend({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    responses: {
      200: jsonContent(z.object({ rows: z.array(LogRowSchema), next: z.string().optional() }), "A page"),
      400: errorResponse("Invalid filter or cursor, naming the field"),
      ...staffErrors,
    },
  }),
  export: createRoute({
    method: "get",
    path: "/api/conversations/export",
    summary: "Every turn the filters match, as CSV (Chinese headers and labels, opens in Excel) or JSONL; personal numbers masked (staff)",
    security: staffSecurity,
    request: { query: Filters.extend({ format: z.enum(["csv", "jsonl"]).default("csv") }) },
    responses: {
      200: { content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } }, description: "The file" },
      400: errorResponse("Invalid filter"),
      ...staffErrors,
    },
  }),
};

const CSV_HEADER = ["时间", "渠道", "结果", "原因", "问题", "理解为", "回答", "引用条款", "评价", "评价意见", "会话", "编号"];

/** Quoted as RFC 4180 wants; a cell a spreadsheet would run as a formula (=, +, -, @) is kept as text. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(row: LogRow): string {
  const outcome = row.notStated ? "not-stated" : row.outcome;
  return [
    row.createdAt,
    labelOf("channels", row.channel),
    labelOf("outcomes", outcome),
    labelOf("reasons", row.refusalReason),
    row.question,
    row.resolvedQuestion ?? "",
    row.answer,
    row.citations.map((c) => `[${c.marker}] ${c.document} ${c.path}${c.measureId ? ` (${c.measureId})` : ""}`).join("\n"),
    row.ratings.map((r) => labelOf("ratings", r.rating)).join("|"),
    row.ratings.flatMap((r) => (r.comment ? [r.comment] : [])).join("\n"),
    row.conversationId,
    row.id,
  ]
    .map(csvCell)
    .join(",");
}

export function registerConversationRoutes(app: OpenAPIHono<HttpEnv>, { store, requireStaff, pageHtml }: ConversationRoutesOptions): void {
  app.use("/api/conversations", requireStaff);
  app.use("/api/conversations/*", requireStaff);
  // The page holds nothing secret; the same nonce-only CSP as the console.
  servePage(app, routes.page, pageHtml);

  app.openapi(routes.list, async (c) => {
    const { cursor, limit, ...filters } = c.req.valid("query");
    if (cursor && !decodeCursor(cursor)) return c.json({ error: "cursor: not a cursor this log gave; start again without it", field: "cursor" }, 400);
    await store.ready;
    return c.json(await readLog(store.db, filters as LogFilters, { limit, cursor }), 200);
  });

  app.openapi(routes.export, async (c) => {
    const { format, ...filters } = c.req.valid("query");
    await store.ready;
    const rows = eachLogRow(store.db, filters as LogFilters);
    // The first page is read before answering, so a database that is down is a 503, not a cut-off file.
    const first = await rows.next();
    const encoder = new TextEncoder();
    const line = (row: LogRow) => (format === "jsonl" ? JSON.stringify(row) : csvLine(row));
    const newline = format === "jsonl" ? "\n" : "\r\n";
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // A byte-order mark, so Excel reads the Chinese as UTF-8.
        if (format === "csv") controller.enqueue(encoder.encode(`\ufeff${CSV_HEADER.join(",")}\r\n`));
        if (!first.done) controller.enqueue(encoder.encode(line(first.value) + newline));
      },
      async pull(controller) {
        if (first.done) return controller.close();
        const batch: string[] = [];
        for (let i = 0; i < 200; i++) {
          const next = await rows.next();
          if (next.done) {
            if (batch.length) controller.enqueue(encoder.encode(batch.join("")));
            return controller.close();
          }
          batch.push(line(next.value) + newline);
        }
        controller.enqueue(encoder.encode(batch.join("")));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    c.header("Content-Disposition", `attachment; filename="conversations-${stamp}.${format}"`);
    return c.body(body, 200, { "Content-Type": format === "jsonl" ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8" }) as never;
  });
}
