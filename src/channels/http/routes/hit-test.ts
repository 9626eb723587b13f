import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { sql } from "kysely";
import { hitTest } from "../../../core/hit-test.js";
import type { QuestionLibrary } from "../../../library/question-library.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { HttpEnv } from "../env.js";
import { errorResponse, jsonContent } from "../schemas.js";

const staffSecurity = [{ staff: [] }];
const HitTestSchema = z
  .object({
    question: z.string(),
    decision: z.enum(["answer", "low", "refuse"]),
    reason: z.string(),
    evidence: z.object({ share: z.number(), evidence: z.number(), margin: z.number() }).optional(),
    hits: z.array(
      z.object({
        measureId: z.string(),
        path: z.string(),
        document: z.string(),
        keyword: z.number(),
        vector: z.number(),
        fused: z.number(),
        coverage: z.number(),
        text: z.string(),
        taught: z.boolean().openapi({ description: "Raised by a related library question" }),
      }),
    ),
    library: z.array(
      z.object({
        entryId: z.string(),
        question: z.string(),
        similarity: z.number(),
        kind: z.enum(["near-duplicate", "related"]),
        measureIds: z.array(z.string()),
      }),
    ),
    answer: z.object({ body: z.string(), citations: z.array(z.string()), libraryEntryId: z.string().optional() }),
  })
  .openapi("HitTest");

const routes = {
  test: createRoute({
    method: "post",
    path: "/api/hit-test",
    summary:
      "命中测试: the top 10 measures with keyword, vector and fused scores and coverage, the library entries that match, and the decision with its reason (staff)",
    security: staffSecurity,
    request: {
      body: {
        content: { "application/json": { schema: z.object({ question: z.string().trim().min(1, "question must not be empty").max(2000) }) } },
        required: true,
      },
    },
    responses: { 200: jsonContent(HitTestSchema, "Why"), 400: errorResponse("Invalid input"), 401: errorResponse("Wrong or missing ADMIN_TOKEN") },
  }),
  stored: createRoute({
    method: "get",
    path: "/api/hit-test/{answerId}",
    summary: "The hit test of a stored answer's question, as it would be answered now (staff)",
    security: staffSecurity,
    request: { params: z.object({ answerId: z.string() }) },
    responses: { 200: jsonContent(HitTestSchema, "Why"), 404: errorResponse("No such answer"), 401: errorResponse("Wrong or missing ADMIN_TOKEN") },
  }),
};

export interface HitTestRoutesOptions {
  library: QuestionLibrary;
  knowledgeBase: () => KnowledgeBase;
  today: () => string;
  requireStaff: MiddlewareHandler<HttpEnv>;
}

export function registerHitTestRoutes(app: OpenAPIHono<HttpEnv>, { library, knowledgeBase, today, requireStaff }: HitTestRoutesOptions): void {
  app.use("/api/hit-test", requireStaff);
  app.use("/api/hit-test/*", requireStaff);
  app.openapi(routes.test, async (c) => c.json(await hitTest(c.req.valid("json").question, { knowledgeBase: knowledgeBase(), library, today }), 200));
  app.openapi(routes.stored, async (c) => {
    const { answerId } = c.req.valid("param");
    const { rows } = await sql<{ question: string }>`SELECT question FROM turns WHERE id = ${answerId}`.execute(library.db);
    if (!rows[0]) return c.json({ error: `no answer ${answerId}` }, 404);
    return c.json(await hitTest(rows[0].question, { knowledgeBase: knowledgeBase(), library, today }), 200);
  });
}
