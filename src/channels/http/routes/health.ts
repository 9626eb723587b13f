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
  }: { knowledgeBase: () => KnowledgeBase; store: Store; modelStats?: object; shared?: { health(): { ok: boolean } } },
): void {
  app.openapi(routes.health, (c) => c.json({ ok: true }, 200));
  app.openapi(routes.ready, async (c) => {
    const knowledgeBase = current();
    if (knowledgeBase.index.keywordIndex.size === 0) return c.json({ ready: false, status: "not-ready" as const }, 503);
    const { writeFailures, readFailures, degraded, database } = await store.health();
    const sharedHealth = shared?.health();
    const failing = degraded || !database.reachable || (sharedHealth !== undefined && !sharedHealth.ok);
    return c.json(
      {
        ready: true,
        status: failing ? ("degraded" as const) : ("ready" as const),
        measures: knowledgeBase.corpus.measures.length,
        index: knowledgeBase.index.manifest,
        model: modelStats,
        store: { writeFailures, readFailures, degraded, database },
        ...(sharedHealth ? { shared: sharedHealth } : {}),
      },
      200,
    );
  });
}
