import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { HttpEnv } from "../env.js";
import { jsonContent } from "../schemas.js";

const route = createRoute({
  method: "get",
  path: "/api/examples",
  summary: "Example questions for the console: curated (and later library) questions, never what anonymous users asked",
  responses: { 200: jsonContent(z.object({ examples: z.array(z.string()) }), "Example questions") },
});

/** `exampleQuestions` is called per request so a library can feed it without a restart; it must not scan turns. */
export function registerExampleRoutes(app: OpenAPIHono<HttpEnv>, { exampleQuestions }: { exampleQuestions: () => string[] }): void {
  app.openapi(route, (c) => c.json({ examples: exampleQuestions() }, 200));
}
