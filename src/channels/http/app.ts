import { readFileSync } from "node:fs";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { streamSSE } from "hono/streaming";
import type { Logger } from "pino";
import { z } from "zod";
import type { Ask } from "../../core/ask.js";
import { MAX_QUESTION_CHARS } from "../../core/ask.js";
import type { KnowledgeBase } from "../../core/knowledge-base.js";
import { AppError } from "../../errors.js";
import type { Channel, Store } from "../../store/sqlite-store.js";
import type { Answer } from "../../types.js";
import { answerJson } from "../cli.js";
import { openApiDocument } from "./openapi.js";
import { createRateLimiter } from "./rate-limit.js";
import { documentView, measureView } from "./views.js";

export interface HttpAppOptions {
  ask: Ask;
  knowledgeBase: KnowledgeBase;
  store: Store;
  today: () => string;
  logger?: Logger;
  apiToken?: string;
  corsOrigin?: string;
  rateLimitPerMinute?: number;
  bodyLimitBytes?: number;
  modelStats?: object;
}

const PAGE_SIZE = 20;
const consoleHtml = readFileSync(new URL("./console.html", import.meta.url), "utf8");

const askSchema = z.object({
  question: z
    .string({ required_error: "question is required" })
    .trim()
    .min(1, "question must not be empty")
    .max(MAX_QUESTION_CHARS, `question must be at most ${MAX_QUESTION_CHARS} characters`),
  conversationId: z.string().max(100).optional(),
  channel: z.enum(["web", "api"]).optional(),
});
const feedbackSchema = z.object({
  answerId: z.string().min(1, "answerId is required"),
  rating: z.enum(["up", "down"], { message: "rating must be up or down" }),
  comment: z.string().max(1000).optional(),
});
const measuresQuery = z.object({
  q: z.string().max(200).optional(),
  region: z.string().max(50).optional(),
  issuer: z.string().max(100).optional(),
  status: z.enum(["active", "ended", "undated"]).optional(),
  page: z.coerce.number().int().min(1).default(1),
});

/** A 400 that names the first offending field. */
function invalid(error: z.ZodError) {
  const issue = error.issues[0];
  const field = issue.path.join(".") || "body";
  return { error: `${field}: ${issue.message}`, field };
}

/** The HTTP API and web console. Routes translate requests into `ask` and render; no answering logic lives here. */
export function createHttpApp(options: HttpAppOptions): Hono {
  const { ask, knowledgeBase, store, today, logger, apiToken } = options;
  const allow = createRateLimiter(options.rateLimitPerMinute ?? 120);
  const app = new Hono();

  app.onError((error, c) => {
    logger?.error({ err: error, path: c.req.path }, "request failed");
    return c.json({ error: AppError.wrap(error).userMessage }, 500);
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", (c) =>
    knowledgeBase.index.keywordIndex.size > 0
      ? c.json({ ready: true, measures: knowledgeBase.corpus.measures.length, index: knowledgeBase.index.manifest, model: options.modelStats })
      : c.json({ ready: false }, 503),
  );
  app.get("/", (c) => c.html(consoleHtml));

  if (options.corsOrigin) app.use("/api/*", cors({ origin: options.corsOrigin.split(",").map((o) => o.trim()) }));
  app.use("/api/*", async (c, next) => {
    if (apiToken && c.req.path !== "/api/openapi.json") {
      const given = c.req.header("authorization")?.replace(/^Bearer\s+/i, "") ?? c.req.header("x-api-token");
      if (given !== apiToken) return c.json({ error: "missing or wrong API token: send Authorization: Bearer <API_TOKEN>" }, 401);
    }
    const client = clientAddress(c);
    const verdict = allow(client);
    if (!verdict.ok) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      return c.json({ error: "too many requests; try again shortly" }, 429);
    }
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: options.bodyLimitBytes ?? 16 * 1024,
      onError: (c) => c.json({ error: "body: request body is larger than 16 KB", field: "body" }, 413),
    }),
  );

  app.get("/api/openapi.json", (c) => c.json(openApiDocument));

  async function answerRequest(request: z.infer<typeof askSchema>, defaultChannel: Channel, onToken?: (token: string) => void) {
    const { question, conversationId, channel = defaultChannel } = request;
    const history = conversationId ? store.history(conversationId) : [];
    const answer: Answer = await ask(question, history, { onToken });
    const recorded = store.recordTurn({ conversationId, channel, question, answer });
    return {
      ...answerJson(recorded.answerId, answer),
      ...recorded,
      citations: answer.citations,
      mode: answer.mode,
      draftRejected: answer.draftRejected ?? false,
      promptVersion: answer.promptVersion,
    };
  }

  app.post("/api/ask", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json({ error: "body: must be JSON", field: "body" }, 400);
    const parsed = askSchema.safeParse(body);
    if (!parsed.success) return c.json(invalid(parsed.error), 400);
    return c.json(await answerRequest(parsed.data, "api"));
  });

  /**
   * Server-sent events: `token` events carry a model's draft as it is written;
   * the one `answer` event carries the verified answer. When `draftRejected` is
   * true the client replaces the draft it showed. Without a model there are no
   * tokens, only the answer.
   */
  const stream = async (c: Context, body: unknown) => {
    const parsed = askSchema.safeParse(body);
    if (!parsed.success) return c.json(invalid(parsed.error), 400);
    return streamSSE(c, async (sse) => {
      const pending: Promise<void>[] = [];
      const result = await answerRequest(parsed.data, "web", (token) => {
        pending.push(sse.writeSSE({ event: "token", data: JSON.stringify(token) }));
      });
      await Promise.all(pending);
      await sse.writeSSE({ event: "answer", data: JSON.stringify(result) });
    });
  };
  app.post("/api/ask/stream", async (c) => stream(c, await c.req.json().catch(() => ({}))));
  app.get("/api/ask/stream", async (c) => stream(c, { question: c.req.query("question"), conversationId: c.req.query("conversationId") }));

  app.get("/api/documents", (c) => c.json({ documents: knowledgeBase.corpus.documents.map((d) => documentView(d, knowledgeBase)) }));

  app.get("/api/measures", async (c) => {
    const parsed = measuresQuery.safeParse(c.req.query());
    if (!parsed.success) return c.json(invalid(parsed.error), 400);
    const { q, region, issuer, status, page } = parsed.data;
    let measures = knowledgeBase.corpus.measures;
    if (q?.trim()) {
      const hits = await knowledgeBase.retriever.search({ text: q, regions: [], limit: 200 });
      measures = hits.filter((h) => h.coverage > 0).map((h) => knowledgeBase.measuresById.get(h.measureId)!);
    }
    const views = measures
      .map((m) => measureView(m, knowledgeBase, today()))
      .filter((m) => (!region || m.document.region === region) && (!issuer || m.document.issuer.includes(issuer)) && (!status || m.status === status));
    return c.json({ total: views.length, page, pageSize: PAGE_SIZE, measures: views.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) });
  });

  app.get("/api/measures/:id", (c) => {
    const measure = knowledgeBase.measuresById.get(c.req.param("id"));
    return measure ? c.json(measureView(measure, knowledgeBase, today())) : c.json({ error: `no measure ${c.req.param("id")}` }, 404);
  });

  app.post("/api/feedback", async (c) => {
    const parsed = feedbackSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json(invalid(parsed.error), 400);
    return store.addFeedback(parsed.data) ? c.json({ ok: true }) : c.json({ error: `no answer ${parsed.data.answerId}` }, 404);
  });

  app.get("/api/unanswered", (c) => c.json({ items: store.unanswered(100) }));
  app.get("/api/examples", (c) => {
    const asked = store.topQuestions(4);
    return c.json({
      examples:
        asked.length >= 3
          ? asked
          : ["我的企业能减免多少检测费？", "个体工商户歇业最长能保留多久？", "克拉玛依二手房水电气暖能联合过户吗？", "新政办发〔2023〕5号是什么文件？"],
    });
  });

  return app;
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
