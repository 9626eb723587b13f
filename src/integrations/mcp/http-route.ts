import type { Hono, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Ask } from "../../answer/seams.js";
import type { HttpEnv } from "../../channels/http/env.js";
import { requireApiToken, requireStaff, type WrongTokenLimiter } from "../../channels/http/middleware/auth/index.js";
import { limitBody } from "../../channels/http/middleware/body-limit/index.js";
import { rateLimit } from "../../channels/http/middleware/rate-limit/index.js";
import type { SharedState } from "../../cluster/shared-state.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import { createPolicyOperations } from "../policy-operations.js";

export const MCP_PATH = "/mcp";
/** The SDK is loaded on the first call, not by every process that builds the HTTP app. */
let sdk: Promise<[typeof import("./policy-mcp-server.js"), typeof import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js")]> | undefined;
const loadSdk = () => {
  sdk ??= Promise.all([import("./policy-mcp-server.js"), import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js")]);
  return sdk;
};

/** A tool call is a question or a profile: far below this. */
const MCP_BODY_LIMIT = 64 * 1024;

export interface McpRouteOptions {
  ask: Ask;
  knowledgeBase: KnowledgeBase | (() => KnowledgeBase);
  today: () => string;
  apiToken?: string;
  adminToken?: string;
  /** The app's wrong-token counter, so guessing at /mcp costs the same tries as guessing at /api. */
  wrongTokens: WrongTokenLimiter;
  rateLimitPerMinute: number;
  shared?: SharedState;
  logger?: Logger;
  /** The app's turn-taking for routes that answer (channels/http/middleware/take-turns), after the guard and the limit. */
  takeTurn?: MiddlewareHandler;
}

/**
 * Streamable HTTP at /mcp, stateless: each POST gets a server and a transport of its own and a JSON reply,
 * so any instance behind a load balancer answers any request. Never open to everyone: with API_TOKEN set it
 * takes API_TOKEN or ADMIN_TOKEN as Bearer; without, ADMIN_TOKEN, or with neither only this machine,
 * as the staff routes. Rate-limited like /api.
 */
export function registerMcpRoute(app: Hono<HttpEnv>, options: McpRouteOptions): void {
  const { apiToken, adminToken, wrongTokens } = options;
  const kb = options.knowledgeBase;
  const operations = createPolicyOperations({ ask: options.ask, knowledgeBase: typeof kb === "function" ? kb : () => kb, today: options.today });
  const guard = apiToken ? requireApiToken({ apiToken, adminToken, wrongTokens }) : requireStaff({ adminToken, wrongTokens });
  const limit = rateLimit({ perMinute: options.rateLimitPerMinute, limiter: options.shared?.rateLimiter("mcp", options.rateLimitPerMinute) });
  app.use(MCP_PATH, guard, limit, limitBody(MCP_BODY_LIMIT));
  if (options.takeTurn) app.use(MCP_PATH, options.takeTurn);
  app.all(MCP_PATH, async (c) => {
    // limitBody has already read a JSON body from the socket into Hono's cache: the transport takes it parsed.
    let parsedBody: unknown;
    if (c.req.method === "POST") {
      try {
        parsedBody = await c.req.json();
      } catch {
        return c.json({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error: 请求体不是合法的 JSON" }, id: null }, 400);
      }
    }
    const [{ createPolicyMcpServer }, { WebStandardStreamableHTTPServerTransport }] = await loadSdk();
    const server = createPolicyMcpServer({ operations, logger: options.logger });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody });
    } finally {
      // The JSON reply is complete here; a stateless server keeps nothing for a next request.
      await server.close();
    }
  });
}
