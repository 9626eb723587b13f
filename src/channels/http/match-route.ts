import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { checkProfile, matchMeasures, profileLabel, vocabulary } from "../../match/index.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { HttpEnv } from "./env.js";
import { servePage } from "./middleware/page-headers/index.js";
import { errorResponse, jsonContent } from "./schemas.js";

const MatchRequest = z
  .object({
    region: z.string().max(50).optional().openapi({ description: "The asker's place: 哈密市, 克拉玛依市, 新疆维吾尔自治区 (or 哈密 …). Required." }),
    entityType: z
      .string()
      .max(50)
      .optional()
      .openapi({ description: "个体工商户, 小微企业, 中型企业, 大型企业, 民营企业, 外资企业, 外贸企业, 农民专业合作社, 建设单位, 企业. Required." }),
    sector: z.string().max(50).optional().openapi({ description: "餐饮, 食品, 交通运输物流 … (or a word such as 饭馆)." }),
    needs: z.string().max(500).optional().openapi({ description: "What the asker needs, in their words (想少交点检测费, 贷款); ranks the result." }),
    includeInternal: z.boolean().optional().openapi({ description: "Also list internal government tasks (督查, 考核 …)." }),
  })
  .openapi("MatchRequest");

const MatchItemSchema = z
  .object({ measureId: z.string(), kind: z.string(), title: z.string(), region: z.string(), status: z.string(), reasons: z.array(z.string()) })
  .catchall(z.any())
  .openapi("MatchItem");
const MatchGroupSchema = z.object({ kind: z.string(), label: z.string(), items: z.array(MatchItemSchema) }).openapi("MatchGroup");
const MatchResponse = z
  .object({
    profile: z.record(z.string(), z.any()),
    summary: z.string(),
    today: z.string(),
    counts: z.object({ current: z.number().int(), ended: z.number().int(), internal: z.number().int() }),
    groups: z.array(MatchGroupSchema),
    ended: z.array(MatchGroupSchema),
    internal: z.array(MatchItemSchema),
    excluded: z.object({ otherPlaces: z.number().int(), internal: z.number().int(), notForProfile: z.number().int() }),
  })
  .openapi("MatchResult");

const routes = {
  match: createRoute({
    method: "post",
    path: "/api/match",
    summary: "Measures a profile can use (政策匹配), grouped by kind of benefit, each cited, ended ones apart",
    request: { body: { content: { "application/json": { schema: MatchRequest } }, required: true } },
    responses: {
      200: jsonContent(MatchResponse, "The grouped measures"),
      400: errorResponse("A missing or unknown region or entityType, or an unknown sector"),
    },
  }),
  options: createRoute({
    method: "get",
    path: "/api/match/options",
    summary: "What a profile may name: the places, entity types and sectors",
    responses: {
      200: jsonContent(
        z.object({ regions: z.array(z.string()), entityTypes: z.array(z.object({ id: z.string(), label: z.string() })), sectors: z.array(z.string()) }),
        "Choices for the profile form",
      ),
    },
  }),
  page: createRoute({
    method: "get",
    path: "/match",
    summary: "The 政策匹配 page (HTML): profile form, grouped result, printable export",
    security: [],
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
  }),
};

export interface MatchRouteOptions {
  /** The live knowledge base (a publish swaps it). */
  knowledgeBase: () => KnowledgeBase;
  today: () => string;
  /** The page; src/channels/http/match.html by default, read when the route is registered. */
  matchHtml?: string;
}

/** The 政策匹配 API and its page, on the app's middleware (token, rate limit, body limit) like every /api route. */
export function registerMatchRoutes(app: OpenAPIHono<HttpEnv>, { knowledgeBase, today, matchHtml }: MatchRouteOptions): void {
  const html = matchHtml ?? readFileSync(new URL("./match.html", import.meta.url), "utf8");

  app.openapi(routes.match, async (c) => {
    const checked = checkProfile(c.req.valid("json"), knowledgeBase());
    if (!checked.ok) return c.json({ error: `${checked.field}: ${checked.error}`, field: checked.field }, 400);
    const result = await matchMeasures(checked.profile, knowledgeBase(), today());
    const count = (groups: typeof result.groups) => groups.reduce((n, g) => n + g.items.length, 0);
    const counts = { current: count(result.groups), ended: count(result.ended), internal: result.internal.length };
    return c.json({ ...result, profile: { ...result.profile }, summary: profileLabel(result), counts }, 200);
  });

  app.openapi(routes.options, (c) =>
    c.json(
      {
        regions: [...new Set(knowledgeBase().corpus.documents.flatMap((d) => d.regionPath))].sort((a, b) => a.length - b.length),
        entityTypes: vocabulary.entityTypes.map(({ id, label }) => ({ id, label })),
        sectors: vocabulary.sectors.map((s) => s.id),
      },
      200,
    ),
  );

  servePage(app, routes.page, html);
}
