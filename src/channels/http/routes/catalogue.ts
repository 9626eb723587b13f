import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { HttpEnv } from "../env.js";
import { DocumentSchema, errorResponse, jsonContent, MeasureSchema, MeasuresQuery } from "../schemas.js";
import { documentView, measureView } from "../views.js";

const PAGE_SIZE = 20;

const routes = {
  documents: createRoute({
    method: "get",
    path: "/api/documents",
    summary: "Documents with 文号, issuer, date, region and outline; uploads also carry their version and, when repealed or superseded, `retired`",
    responses: { 200: jsonContent(z.object({ documents: z.array(DocumentSchema) }), "Documents") },
  }),
  measures: createRoute({
    method: "get",
    path: "/api/measures",
    summary: "Browse and search measures, 20 a page",
    request: { query: MeasuresQuery },
    responses: {
      200: jsonContent(
        z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), measures: z.array(MeasureSchema) }),
        "A page of measures",
      ),
      400: errorResponse("Invalid query"),
    },
  }),
  measure: createRoute({
    method: "get",
    path: "/api/measures/{id}",
    summary: "One measure with its document, fields and validity",
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: jsonContent(MeasureSchema, "The measure"), 404: errorResponse("No such measure") },
  }),
};

/** Reads the live knowledge base on every request, so a published, retired or deleted document shows at once. */
export function registerCatalogueRoutes(
  app: OpenAPIHono<HttpEnv>,
  { knowledgeBase: current, today }: { knowledgeBase: () => KnowledgeBase; today: () => string },
): void {
  app.openapi(routes.documents, (c) => {
    const knowledgeBase = current();
    return c.json({ documents: knowledgeBase.corpus.documents.map((d) => documentView(d, knowledgeBase)) }, 200);
  });

  app.openapi(routes.measures, async (c) => {
    const { q, region, issuer, status, page } = c.req.valid("query");
    const knowledgeBase = current();
    let measures = knowledgeBase.corpus.measures;
    if (q?.trim()) {
      const hits = await knowledgeBase.retriever.search({ text: q, regions: [], limit: 200 });
      measures = hits.filter((h) => h.coverage > 0).map((h) => knowledgeBase.measuresById.get(h.measureId)!);
    }
    const views = measures
      .map((m) => measureView(m, knowledgeBase, today()))
      .filter((m) => (!region || m.document.region === region) && (!issuer || m.document.issuer.includes(issuer)) && (!status || m.status === status));
    return c.json({ total: views.length, page, pageSize: PAGE_SIZE, measures: views.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) }, 200);
  });

  app.openapi(routes.measure, (c) => {
    const { id } = c.req.valid("param");
    const knowledgeBase = current();
    const measure = knowledgeBase.measuresById.get(id);
    return measure ? c.json(measureView(measure, knowledgeBase, today()), 200) : c.json({ error: `no measure ${id}` }, 404);
  });
}
