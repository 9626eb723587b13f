import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { isStaff } from "../middleware/auth/index.js";
import { errorResponse, FeedbackRequest, jsonContent, UnansweredSchema } from "../schemas.js";

const staffSecurity = [{ staff: [] }];

const routes = {
  feedback: createRoute({
    method: "post",
    path: "/api/feedback",
    summary: "Rate an answer: one rating per answer per client; staff may change a rating",
    request: { body: { content: { "application/json": { schema: FeedbackRequest } }, required: true } },
    responses: {
      200: jsonContent(z.object({ ok: z.literal(true) }), "Stored"),
      400: errorResponse("Invalid input"),
      404: errorResponse("Unknown answer"),
      409: errorResponse("This client already rated this answer"),
    },
  }),
  unanswered: createRoute({
    method: "get",
    path: "/api/unanswered",
    summary: "Refused or rated-down questions, newest first (staff)",
    security: staffSecurity,
    responses: {
      200: jsonContent(z.object({ items: z.array(UnansweredSchema) }), "Rows"),
      401: errorResponse("Wrong or missing ADMIN_TOKEN"),
      403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine"),
    },
  }),
};

export interface FeedbackRoutesOptions {
  store: Store;
  adminToken?: string;
  requireStaff: MiddlewareHandler<HttpEnv>;
}

export function registerFeedbackRoutes(app: OpenAPIHono<HttpEnv>, { store, adminToken, requireStaff }: FeedbackRoutesOptions): void {
  app.openapi(routes.feedback, async (c) => {
    const input = c.req.valid("json");
    const outcome = await store.rate({ ...input, client: c.get("client"), replace: isStaff(c, adminToken) });
    if (outcome === "unknown-answer") return c.json({ error: `no answer ${input.answerId}` }, 404);
    if (outcome === "already-rated") return c.json({ error: "answerId: this answer already has your rating" }, 409);
    return c.json({ ok: true as const }, 200);
  });

  app.use(routes.unanswered.path, requireStaff);
  app.openapi(routes.unanswered, async (c) => c.json({ items: await store.unanswered(100) }, 200));
}
