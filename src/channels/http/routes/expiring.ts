import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXPIRING_WITHIN_DAYS } from "../../../answer/validity.js";
import type { KnowledgeBase } from "../../../core/knowledge-base.js";
import type { HttpEnv } from "../env.js";
import { jsonContent, MeasureSchema } from "../schemas.js";
import { measureView } from "../views.js";

const route = createRoute({
  method: "get",
  path: "/api/measures/expiring",
  summary: "Measures whose 实施期限 ends within `days` (default 90), soonest first: what staff should check for a new version",
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(EXPIRING_WITHIN_DAYS) }) },
  responses: {
    200: jsonContent(z.object({ today: z.string(), days: z.number().int(), measures: z.array(MeasureSchema) }), "Measures marked 即将到期"),
  },
});

/** Registered before /api/measures/{id}, which would otherwise read "expiring" as an id. */
export function registerExpiringRoute(app: OpenAPIHono<HttpEnv>, { knowledgeBase, today }: { knowledgeBase: () => KnowledgeBase; today: () => string }): void {
  app.openapi(route, (c) => {
    const { days } = c.req.valid("query");
    const kb = knowledgeBase();
    const now = today();
    const expiring = kb.corpus.measures
      .filter((measure) => measure.fields.period)
      .map((measure) => measureView(measure, kb, now))
      .filter((view) => view.status === "active" && view.badge.daysLeft !== undefined && view.badge.daysLeft >= 0 && view.badge.daysLeft <= days)
      .sort((a, b) => (a.badge.daysLeft ?? 0) - (b.badge.daysLeft ?? 0));
    return c.json({ today: now, days, measures: expiring }, 200);
  });
}
