import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import type { SharedState } from "../../cluster/shared-state.js";
import type { Ask } from "../../core/ask.js";
import type { Intercept } from "../../core/dispatch.js";
import type { DocumentsService } from "../../documents/documents-service.js";
import { AppError, StoreUnavailableError } from "../../errors.js";
import type { AnswerPages } from "../../handoff/answer-pages.js";
import type { HandoffService } from "../../handoff/handoff-service.js";
import { registerMcpRoute } from "../../integrations/mcp/http-route.js";
import { ReviewQueue, type ReviewQueueOptions } from "../../review/review-queue.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import type { Store } from "../../store/sqlite-store.js";
import type { HttpEnv } from "./env.js";
import { registerMatchRoutes } from "./match-route.js";
import { createWrongTokenLimiter, requireApiToken, requireStaff } from "./middleware/auth/index.js";
import { limitBody } from "./middleware/body-limit/index.js";
import { clientAddress } from "./middleware/client-address/index.js";
import { requireJsonBody } from "./middleware/json-body/index.js";
import { rateLimit } from "./middleware/rate-limit/index.js";
import { createSessionCodec, staffSession } from "./middleware/session/index.js";
import { staffPages, tokenInAddress } from "./middleware/staff-pages/index.js";
import { createTurns, takeTurns } from "./middleware/take-turns/index.js";
import { registerOpenApiRoute } from "./openapi.js";
import { loadAnalyticsHtml, registerAnalyticsRoutes } from "./routes/analytics.js";
import { registerAskRoutes } from "./routes/ask.js";
import { registerCatalogueRoutes } from "./routes/catalogue.js";
import { registerConsoleRoute } from "./routes/console.js";
import { loadConversationsHtml, registerConversationRoutes } from "./routes/conversations.js";
import { isUpload, MAX_UPLOAD_BYTES, registerDocumentRoutes } from "./routes/documents.js";
import { loadDocumentsHtml, registerDocumentsPage } from "./routes/documents-page.js";
import { registerExampleRoutes } from "./routes/examples.js";
import { registerFeedbackRoutes } from "./routes/feedback.js";
import { registerHandoffRoutes } from "./routes/handoffs.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerHitTestRoutes } from "./routes/hit-test.js";
import { type LibraryRoutesOptions, registerLibraryRoutes } from "./routes/library.js";
import { registerLibraryPage } from "./routes/library-page.js";
import { registerOriginalPage } from "./routes/original.js";
import { registerPdfjsAssets } from "./routes/pdfjs-assets.js";
import { loadReviewHtml, registerReviewRoutes } from "./routes/review.js";
import { registerSignInRoutes } from "./routes/sign-in.js";
import { registerValidityRoutes } from "./routes/validity.js";

export interface HttpAppOptions {
  ask: Ask;
  /** The live knowledge base: a getter (`() => runtime.knowledgeBase`) so a publish is seen without a restart. */
  knowledgeBase: KnowledgeBase | (() => KnowledgeBase);
  /** Staff document routes (upload, publish, retire) and their page at /staff/documents, when given. */
  documents?: DocumentsService;
  documentsHtml?: string;
  store: Store;
  today: () => string;
  /** The console page (`loadConsoleHtml()`). */
  consoleHtml: string;
  /** Curated questions for the console's example buttons (`loadExampleQuestions()`). */
  exampleQuestions: () => string[];
  /** Steps before `ask` (a hand-off to a person), in order: see core/dispatch.ts. */
  intercepts?: readonly Intercept[];
  rateLimitPerMinute: number;
  /** State shared with the other instances (rate limits; /readyz reports Redis); per instance without it. */
  shared?: SharedState;
  logger?: Logger;
  apiToken?: string;
  adminToken?: string;
  corsOrigin?: string;
  trustProxy?: boolean;
  bodyLimitBytes?: number;
  modelStats?: object;
  now?: () => number;
  /** The question library's routes, hit test and staff page (/staff/library), when a library is open. */
  library?: Omit<LibraryRoutesOptions, "store" | "today" | "requireStaff"> & { pageHtml: string };
  /** The review queue (待复核, /staff/review) over the library: how far back it reads, and its page (read from disk when left out). */
  review?: Pick<ReviewQueueOptions, "days" | "maxTurns"> & { pageHtml?: string };
  /** The staff pages /staff/conversations and /staff/analytics; read from their files when not given. */
  conversationsHtml?: string;
  analyticsHtml?: string;
  /** 转人工: the staff API and page, the messages the console polls, and the full-answer pages at /a/:id. */
  handoffs?: { service: HandoffService; pages: AnswerPages };
}

/** Routes that read a body of their own kind and size (a bulk import): they check type and size themselves. */
const OWN_BODY_ROUTES = new Set(["/api/library/import"]);

/** A 400 that names the first offending field. */
function invalid(error: { issues: Array<{ path: Array<string | number>; message: string }> }) {
  const issue = error.issues[0];
  const field = issue.path.join(".") || "body";
  return { error: `${field}: ${issue.message}`, field };
}

/** The HTTP API and web console: middleware in order, then the routes, then the spec generated from them. */
export function createHttpApp(options: HttpAppOptions): OpenAPIHono<HttpEnv> {
  const { store, logger, adminToken } = options;
  const app = new OpenAPIHono<HttpEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(invalid(result.error), 400);
    },
  });
  const wrongTokens = createWrongTokenLimiter();

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 400) return c.json({ error: "body: must be JSON", field: "body" }, 400);
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof StoreUnavailableError) {
      logger?.warn({ err: error, path: c.req.path }, "database unavailable; answered 503");
      c.header("Retry-After", "5");
      return c.json({ error: error.userMessage }, 503);
    }
    logger?.error({ err: error, path: c.req.path }, "request failed");
    return c.json({ error: AppError.wrap(error).userMessage }, 500);
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.use("*", clientAddress({ trustProxy: options.trustProxy }));
  const codec = adminToken ? createSessionCodec({ adminToken, now: options.now }) : undefined;
  app.use("*", staffSession(codec));
  const pageAccess = { adminToken, wrongTokens, codec, trustProxy: options.trustProxy };
  app.use("/staff/*", staffPages(pageAccess));
  app.use("/", tokenInAddress(pageAccess, false));
  app.use("/match", tokenInAddress(pageAccess, false));
  if (options.corsOrigin) app.use("/api/*", cors({ origin: options.corsOrigin.split(",").map((o) => o.trim()) }));
  app.use("/api/*", rateLimit({ perMinute: options.rateLimitPerMinute, limiter: options.shared?.rateLimiter("http", options.rateLimitPerMinute) }));
  const apiToken = requireApiToken({ apiToken: options.apiToken, adminToken, wrongTokens });
  app.use("/api/*", async (c, next) => (c.req.path === "/api/openapi.json" ? next() : apiToken(c, next)));
  const bodyLimit = limitBody(options.bodyLimitBytes);
  const jsonBody = requireJsonBody();
  // Document uploads are multipart with a limit of their own (50 MB); refused before they are read.
  const uploadLimit = limitBody(MAX_UPLOAD_BYTES);
  app.use("/api/*", async (c, next) => (isUpload(c) ? uploadLimit(c, next) : OWN_BODY_ROUTES.has(c.req.path) ? next() : bodyLimit(c, next)));
  app.use("/api/*", async (c, next) => (OWN_BODY_ROUTES.has(c.req.path) || isUpload(c) ? next() : jsonBody(c, next)));
  // Answering is synchronous CPU work: these routes take turns, so no turn of the event loop answers the
  // whole crowd at once while new connections wait to be accepted (middleware/take-turns/turns.ts).
  const takeTurn = takeTurns(createTurns());
  for (const path of ["/api/ask/*", "/api/match", "/wechat/*"]) app.use(path, takeTurn);
  const kb = options.knowledgeBase;
  const knowledgeBase = typeof kb === "function" ? kb : () => kb;

  registerHealthRoutes(app, { ...options, knowledgeBase, checks: { handoffWebhook: () => options.handoffs?.service.webhookHealth } });
  registerSignInRoutes(app, pageAccess);
  registerConsoleRoute(app, { html: options.consoleHtml });
  registerAskRoutes(app, { ...options, examples: options.exampleQuestions });
  registerValidityRoutes(app, { ...options, knowledgeBase });
  registerCatalogueRoutes(app, { ...options, knowledgeBase });
  const documents = options.documents;
  registerOriginalPage(app, { knowledgeBase, original: documents && ((document, read) => documents.original(document, read)) });
  registerPdfjsAssets(app);
  if (options.documents) {
    registerDocumentRoutes(app, { documents: options.documents, requireStaff: requireStaff({ adminToken, wrongTokens }) });
    registerDocumentsPage(app, { html: options.documentsHtml ?? loadDocumentsHtml() });
  }
  registerFeedbackRoutes(app, { store, adminToken });
  registerExampleRoutes(app, options);
  registerMatchRoutes(app, { ...options, knowledgeBase });
  if (options.library) {
    const staff = requireStaff({ adminToken, wrongTokens });
    const { pageHtml, ...library } = options.library;
    registerLibraryRoutes(app, { ...library, store, today: options.today, requireStaff: staff });
    registerHitTestRoutes(app, { ...library, today: options.today, requireStaff: staff });
    registerLibraryPage(app, { html: pageHtml });
    const { pageHtml: reviewHtml, ...bounds } = options.review ?? {};
    const queue = new ReviewQueue({ store, library: library.library, knowledgeBase: library.knowledgeBase, now: options.now, ...bounds });
    registerReviewRoutes(app, { queue, requireStaff: staff, html: reviewHtml ?? loadReviewHtml() });
  }
  const staff = requireStaff({ adminToken, wrongTokens });
  registerConversationRoutes(app, { store, requireStaff: staff, pageHtml: options.conversationsHtml ?? loadConversationsHtml() });
  registerAnalyticsRoutes(app, { store, knowledgeBase, requireStaff: staff, now: options.now, pageHtml: options.analyticsHtml ?? loadAnalyticsHtml() });
  if (options.handoffs) registerHandoffRoutes(app, { ...options.handoffs, requireStaff: staff });
  registerMcpRoute(app, { ...options, knowledgeBase, wrongTokens, takeTurn });
  registerOpenApiRoute(app);
  return app;
}
