import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { isStaff } from "../middleware/auth/index.js";
import { errorResponse, FeedbackRequest, jsonContent } from "../schemas.js";

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
};

export interface FeedbackRoutesOptions {
  store: Store;
  adminToken?: string;
}

export function registerFeedbackRoutes(app: OpenAPIHono<HttpEnv>, { store, adminToken }: FeedbackRoutesOptions): void {
  app.openapi(routes.feedback, async (c) => {
    const input = c.req.valid("json");
    const outcome = await store.rate({ ...input, client: c.get("client"), replace: isStaff(c, adminToken) });
    if (outcome === "unknown-answer") return c.json({ error: `no answer ${input.answerId}` }, 404);
    if (outcome === "already-rated") return c.json({ error: "answerId: this answer already has your rating" }, 409);
    return c.json({ ok: true as const }, 200);
  });
}
