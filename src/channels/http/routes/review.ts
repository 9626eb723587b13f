import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ReviewQueue } from "../../../review/review-queue.js";
import type { HttpEnv } from "../env.js";
import { servePage } from "../middleware/page-headers/index.js";
import { errorResponse, jsonContent } from "../schemas.js";

export interface ReviewRoutesOptions {
  queue: ReviewQueue;
  requireStaff: MiddlewareHandler<HttpEnv>;
  html: string;
}

/** The review queue's staff page, read when the server starts. */
export function loadReviewHtml(): string {
  return readFileSync(new URL("../review.html", import.meta.url), "utf8");
}

const staffSecurity = [{ staff: [] }];
const staffErrors = { 401: errorResponse("Wrong or missing ADMIN_TOKEN"), 403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine") };

const Reason = z.object({
  kind: z.enum(["refused", "low-confidence", "rated-down", "suspect-topic", "suspect-yes-no"]),
  count: z.number().int(),
  words: z.array(z.string()).optional().openapi({ description: "suspect-topic: the question's rare topics that no cited clause names" }),
  comments: z.array(z.string()).optional(),
});
const Cluster = z
  .object({
    id: z.string(),
    size: z.number().int().openapi({ description: "Stored answers in the cluster" }),
    examples: z.array(z.string()).openapi({ description: "The distinct questions (paraphrases), the most asked first" }),
    reasons: z.array(Reason),
    firstSeen: z.string(),
    lastSeen: z.string(),
    suggestedMeasures: z.array(z.object({ id: z.string(), path: z.string(), document: z.string(), text: z.string() })),
  })
  .openapi("ReviewCluster");

const routes = {
  clusters: createRoute({
    method: "get",
    path: "/api/review/clusters",
    summary: "待复核: refused, low-confidence, rated-down and suspect answers of the last days, grouped by need (staff)",
    security: staffSecurity,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: { 200: jsonContent(z.object({ clusters: z.array(Cluster) }), "Clusters, the largest first"), ...staffErrors },
  }),
  teach: createRoute({
    method: "post",
    path: "/api/review/clusters/{id}/teach",
    summary: "Teach every question of a cluster to the question library, linked to the measures given (staff)",
    security: staffSecurity,
    request: {
      params: z.object({ id: z.string().min(1) }),
      body: {
        content: {
          "application/json": {
            schema: z.object({
              measureIds: z.array(z.string().max(200)).min(1, "link at least one measure").max(20, "link at most 20 measures"),
              questions: z.array(z.string().max(500)).max(500).optional().openapi({ description: "Only these of the cluster's questions; all when left out" }),
            }),
          },
        },
        required: true,
      },
    },
    responses: {
      201: jsonContent(
        z.object({
          created: z.array(z.object({ question: z.string(), entryId: z.string() })),
          skipped: z.array(z.object({ question: z.string(), entryId: z.string() })).openapi({ description: "Already taught; left as they are" }),
        }),
        "Taught",
      ),
      400: errorResponse("An unknown measure id, naming the field"),
      404: errorResponse("No such cluster (the queue changed: reload it)"),
      ...staffErrors,
    },
  }),
  page: createRoute({
    method: "get",
    path: "/staff/review",
    summary: "The review queue's staff page (HTML): clusters of paraphrases, taught to the library in one click",
    security: [],
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
  }),
};

export function registerReviewRoutes(app: OpenAPIHono<HttpEnv>, { queue, requireStaff, html }: ReviewRoutesOptions): void {
  app.use("/api/review/*", requireStaff);
  app.openapi(routes.clusters, async (c) => c.json({ clusters: await queue.clusters({ limit: c.req.valid("query").limit }) }, 200));
  app.openapi(routes.teach, async (c) => {
    const { measureIds, questions } = c.req.valid("json");
    const outcome = await queue.teach(c.req.valid("param").id, { measureIds, questions, actor: c.get("staff") ?? "unknown" });
    if (outcome.ok) return c.json({ created: outcome.created, skipped: outcome.skipped }, 201);
    if (outcome.reason === "not-found") return c.json({ error: "没有这个待复核分组（队列已变化，请刷新）" }, 404);
    return c.json({ error: `${outcome.field}: ${outcome.error}`, field: outcome.field }, 400);
  });
  servePage(app, routes.page, html);
}
