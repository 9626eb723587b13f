import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import { readAnalytics } from "../../../store/analytics.js";
import type { Store } from "../../../store/sqlite-store.js";
import type { Measure } from "../../../types.js";
import type { HttpEnv } from "../env.js";
import { withLabels } from "../log-labels.js";
import { servePage } from "../middleware/page-headers/index.js";
import { errorResponse, jsonContent } from "../schemas.js";

export interface AnalyticsRoutesOptions {
  store: Store;
  knowledgeBase: () => KnowledgeBase;
  requireStaff: MiddlewareHandler<HttpEnv>;
  /** The clock that decides which days are the last N (the store stamps turns with the real time). */
  now?: () => number;
  /** The page at /staff/analytics (`loadAnalyticsHtml()`). */
  pageHtml: string;
}

/** The charts' staff page, its labels filled in, read when the server starts. */
export function loadAnalyticsHtml(): string {
  return withLabels(readFileSync(new URL("../analytics.html", import.meta.url), "utf8"));
}

export const ECHARTS_PATH = "/staff/assets/echarts.min.js";
const TOP_MEASURES = 10;
/** The never-asked list a page shows; `total` says how many there are. */
const NEVER_ASKED_SHOWN = 200;

const staffErrors = { 401: errorResponse("Wrong or missing ADMIN_TOKEN"), 403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine") };
const count = z.number().int();
const MeasureRow = z.object({ measureId: z.string(), title: z.string(), document: z.string(), path: z.string(), count });

const AnalyticsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: count,
    byDay: z.array(
      z.object({
        date: z.string(),
        questions: count,
        answered: count.openapi({ description: "Includes library and not-stated answers" }),
        low: count,
        refused: count,
        handedOff: count,
        library: count,
        notStated: count,
        up: count,
        down: count,
        channels: z.record(count),
      }),
    ),
    byChannel: z.array(z.object({ channel: z.string(), questions: count, answered: count, low: count, refused: count, handedOff: count })),
    totals: z.object({ questions: count, answered: count, low: count, refused: count, handedOff: count, library: count, notStated: count }),
    topMeasures: z.array(MeasureRow),
    refusalReasons: z.array(z.object({ reason: z.string(), count })),
    ratings: z.object({ up: count, down: count }),
    neverAsked: z.object({ total: count, measures: z.array(MeasureRow.omit({ count: true })) }),
  })
  .openapi("Analytics");

const routes = {
  page: createRoute({
    method: "get",
    path: "/staff/analytics",
    summary: "The charts' staff page (HTML; its API call needs staff; ECharts served from this server)",
    security: [],
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
  }),
  analytics: createRoute({
    method: "get",
    path: "/api/analytics",
    summary:
      "Figures for the last N UTC days (today included): questions per day and channel, outcomes, refusal reasons, measures asked and never asked, ratings (staff)",
    security: [{ staff: [] }],
    request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }) },
    responses: { 200: jsonContent(AnalyticsSchema, "The figures"), 400: errorResponse("days: 1 to 366"), ...staffErrors },
  }),
  echarts: createRoute({
    method: "get",
    path: ECHARTS_PATH,
    summary: "The charting library the analytics page loads (Apache ECharts, from this server: no CDN)",
    security: [],
    responses: { 200: { content: { "text/javascript": { schema: z.string() } }, description: "The script" } },
  }),
};

/** `measure` as a chart and a list name it: its heading (or first words) and where it sits. */
function describe(measure: Measure, knowledgeBase: KnowledgeBase) {
  const title = measure.heading ?? (measure.text.length > 24 ? `${measure.text.slice(0, 24)}…` : measure.text);
  return { measureId: measure.id, title, document: knowledgeBase.documentOf(measure).shortTitle, path: measure.path.join(" › ") };
}

let echartsScript: string | undefined;
const loadEcharts = () => {
  echartsScript ??= readFileSync(createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js"), "utf8");
  return echartsScript;
};

export function registerAnalyticsRoutes(app: OpenAPIHono<HttpEnv>, options: AnalyticsRoutesOptions): void {
  const { store, requireStaff, now = Date.now } = options;
  app.use("/api/analytics", requireStaff);
  // The nonce-only CSP of every page: the library's script tag carries the nonce too.
  servePage(app, routes.page, options.pageHtml);

  app.openapi(routes.analytics, async (c) => {
    const { days } = c.req.valid("query");
    const to = new Date(now()).toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    await store.ready;
    const figures = await readAnalytics(store.db, { from, to });
    const kb = options.knowledgeBase();
    const totals = { questions: 0, answered: 0, low: 0, refused: 0, handedOff: 0, library: 0, notStated: 0 };
    for (const day of figures.byDay) for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += day[key];
    // A measure since removed from the knowledge base is still counted, under its id.
    const topMeasures = figures.measures.slice(0, TOP_MEASURES).map(({ measureId, count }) => {
      const measure = kb.measuresById.get(measureId);
      return { ...(measure ? describe(measure, kb) : { measureId, title: measureId, document: "", path: "" }), count };
    });
    const asked = new Set(figures.measures.map((m) => m.measureId));
    const neverAsked = kb.corpus.measures.filter((m) => !asked.has(m.id));
    return c.json(
      {
        from,
        to,
        days,
        byDay: figures.byDay,
        byChannel: figures.byChannel,
        totals,
        topMeasures,
        refusalReasons: figures.refusalReasons,
        ratings: figures.ratings,
        neverAsked: { total: neverAsked.length, measures: neverAsked.slice(0, NEVER_ASKED_SHOWN).map((m) => describe(m, kb)) },
      },
      200,
    );
  });

  app.openapi(routes.echarts, (c) => {
    c.header("Cache-Control", "public, max-age=86400");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(loadEcharts(), 200, { "Content-Type": "text/javascript; charset=utf-8" }) as never;
  });
}
