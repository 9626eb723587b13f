import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { EXPIRING_WITHIN_DAYS, validityBadge } from "../../../answer/validity.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { HttpEnv } from "../env.js";
import { jsonContent, MeasureSchema } from "../schemas.js";
import { measureView } from "../views.js";

const BadgeSchema = z.object({
  kind: z.enum(["in-force", "expiring", "expired", "task"]),
  label: z.string(),
  until: z.string().optional(),
  daysLeft: z.number().int().optional(),
  title: z.string().optional(),
});

const badges = createRoute({
  method: "get",
  path: "/api/measures/badges",
  summary: "Validity badges (现行有效 / 即将到期 / 已到期 / 任务时限) of up to 100 measures, by id: for pages that list measures found elsewhere",
  request: { query: z.object({ ids: z.string().max(8000) }) },
  responses: { 200: jsonContent(z.object({ badges: z.record(z.string(), BadgeSchema) }), "The badge of each known id; unknown ids are left out") },
});

const route = createRoute({
  method: "get",
  path: "/api/measures/expiring",
  summary: "Measures whose 实施期限 ends within `days` (default 90), soonest first: what staff should check for a new version",
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(EXPIRING_WITHIN_DAYS) }) },
  responses: {
    200: jsonContent(z.object({ today: z.string(), days: z.number().int(), measures: z.array(MeasureSchema) }), "Measures marked 即将到期"),
  },
});

/** Registered before /api/measures/{id}, which would otherwise read "expiring" and "badges" as ids. */
export function registerValidityRoutes(app: OpenAPIHono<HttpEnv>, { knowledgeBase, today }: { knowledgeBase: () => KnowledgeBase; today: () => string }): void {
  app.openapi(badges, (c) => {
    const kb = knowledgeBase();
    const now = today();
    const ids = [
      ...new Set(
        c.req
          .valid("query")
          .ids.split(",")
          .map((id) => id.trim()),
      ),
    ].slice(0, 100);
    const found = ids.flatMap((id) => {
      const measure = kb.measuresById.get(id);
      return measure ? [[id, validityBadge(measure, now, kb.documentOf(measure))] as const] : [];
    });
    return c.json({ badges: Object.fromEntries(found) }, 200);
  });

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
