import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { HttpEnv } from "./env.js";

const route = createRoute({
  method: "get",
  path: "/api/openapi.json",
  summary: "This description, generated from the routes' schemas",
  security: [],
  responses: { 200: { content: { "application/json": { schema: z.record(z.string(), z.any()) } }, description: "OpenAPI 3.1" } },
});

/** Serves the spec generated from the registered routes; register it last so it sees them all. */
export function registerOpenApiRoute(app: OpenAPIHono<HttpEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "API_TOKEN (or ADMIN_TOKEN); required only when API_TOKEN is set.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "staff", {
    type: "http",
    scheme: "bearer",
    description: "ADMIN_TOKEN; when it is unset, staff routes answer only clients on this machine.",
  });
  let document: unknown;
  app.openapi(route, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "惠企政策问答 API", version: "1.0.0", description: "Answers about relief and business-environment measures, with cited clauses." },
      security: [{ bearer: [] }],
    });
    return c.json(document as Record<string, unknown>, 200);
  });
}
