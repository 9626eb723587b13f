import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { Store } from "../../../store/sqlite-store.js";
import type { HttpEnv } from "../env.js";
import { jsonContent } from "../schemas.js";

const Readiness = z
  .object({
    ready: z.boolean(),
    status: z.enum(["ready", "degraded", "not-ready"]).openapi({
      description:
        "degraded: answers are given but something is failing (the store could not keep the last answer). Still 200, so a load balancer keeps sending questions.",
    }),
    measures: z.number().int().optional(),
    index: z.any().optional(),
    model: z.any().optional(),
    store: z
      .object({
        writeFailures: z.number().int(),
        readFailures: z.number().int(),
        degraded: z.boolean(),
        database: z.object({
          dialect: z.enum(["sqlite", "postgres"]),
          reachable: z.boolean(),
          latencyMs: z.number().optional(),
          error: z.string().optional(),
          pool: z.any().optional(),
        }),
      })
      .optional(),
    shared: z.any().optional().openapi({ description: "Redis: connected, or the per-instance fallback in use" }),
    checks: z
      .record(z.any())
      .optional()
      .openapi({ description: "Further checks by name (handoffWebhook: events given up on); one not ok makes the status degraded" }),
  })
  .openapi("Readiness");

const routes = {
  health: createRoute({
    method: "get",
    path: "/healthz",
    summary: "The process is up",
    security: [],
    responses: { 200: jsonContent(z.object({ ok: z.boolean() }), "ok") },
  }),
  ready: createRoute({
    method: "get",
    path: "/readyz",
    summary: "The index is loaded; says degraded when the store is failing",
    security: [],
    responses: { 200: jsonContent(Readiness, "ready or degraded"), 503: jsonContent(Readiness, "not ready") },
  }),
};

export function registerHealthRoutes(
  app: OpenAPIHono<HttpEnv>,
  {
    knowledgeBase: current,
    store,
    modelStats,
    shared,
    checks = {},
  }: {
    knowledgeBase: () => KnowledgeBase;
    store: Store;
    modelStats?: object;
    shared?: { health(): { ok: boolean } };
    /** Named checks another part registers (the hand-off webhook); undefined when the part is off. */
    checks?: Record<string, () => { ok: boolean } | undefined>;
  },
): void {
  app.openapi(routes.health, (c) => c.json({ ok: true }, 200));
  app.openapi(routes.ready, async (c) => {
    const knowledgeBase = current();
    if (knowledgeBase.index.keywordIndex.size === 0) return c.json({ ready: false, status: "not-ready" as const }, 503);
    const { writeFailures, readFailures, degraded, database } = await store.health();
    const sharedHealth = shared?.health();
    const checked = Object.entries(checks).flatMap(([name, check]) => {
      const result = check();
      return result ? [[name, result] as const] : [];
    });
    const failing = degraded || !database.reachable || (sharedHealth !== undefined && !sharedHealth.ok) || checked.some(([, result]) => !result.ok);
    return c.json(
      {
        ready: true,
        status: failing ? ("degraded" as const) : ("ready" as const),
        measures: knowledgeBase.corpus.measures.length,
        index: knowledgeBase.index.manifest,
        model: modelStats,
        store: { writeFailures, readFailures, degraded, database },
        ...(sharedHealth ? { shared: sharedHealth } : {}),
        ...(checked.length ? { checks: Object.fromEntries(checked) } : {}),
      },
      200,
    );
  });
}
