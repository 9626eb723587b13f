import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AnswerPages } from "../../../handoff/answer-pages.js";
import type { Handoff, HandoffMessage } from "../../../handoff/handoff.js";
import { type HandoffService, view } from "../../../handoff/handoff-service.js";
import type { HttpEnv } from "../env.js";
import { servePage } from "../middleware/page-headers/index.js";
import { errorResponse, jsonContent } from "../schemas.js";
import { registerAnswerPage } from "./answer-page.js";

export interface HandoffRoutesOptions {
  service: HandoffService;
  /** The full answers a passive WeChat reply links to, served at /a/:id. */
  pages?: AnswerPages;
  requireStaff: MiddlewareHandler<HttpEnv>;
  /** The staff page at /staff/handoffs; read from its file when left out. */
  html?: string;
}

export function loadHandoffsHtml(): string {
  return readFileSync(new URL("../handoffs.html", import.meta.url), "utf8");
}

const staffSecurity = [{ staff: [] }];
const staffErrors = { 401: errorResponse("Wrong or missing ADMIN_TOKEN"), 403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine") };
const Id = z.object({ id: z.string().min(1).max(100) });

const MessageSchema = z
  .object({
    id: z.string(),
    author: z.enum(["staff", "system"]),
    actor: z.string().optional(),
    text: z.string(),
    delivery: z.enum(["pending", "sending", "delivered", "undeliverable"]),
    deliveryError: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi("HandoffMessage");
const HandoffSchema = z
  .object({
    id: z.string(),
    status: z.enum(["open", "claimed", "answered", "closed"]),
    channel: z.string(),
    conversationId: z.string(),
    question: z.string(),
    transcript: z.array(z.object({ question: z.string(), answer: z.string().optional() })),
    lastAnswer: z.string().optional(),
    category: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastUserAt: z.string(),
    claimedBy: z.string().optional(),
    claimedAt: z.string().optional(),
    answeredAt: z.string().optional(),
    closedAt: z.string().optional(),
    taughtEntryId: z.string().optional(),
  })
  .openapi("Handoff");

const routes = {
  list: createRoute({
    method: "get",
    path: "/api/handoffs",
    summary: "转人工: hand-offs, newest first; open includes claimed ones (staff)",
    security: staffSecurity,
    request: { query: z.object({ status: z.enum(["open", "answered", "closed"]).optional() }) },
    responses: { 200: jsonContent(z.object({ handoffs: z.array(HandoffSchema) }), "Hand-offs"), ...staffErrors },
  }),
  get: createRoute({
    method: "get",
    path: "/api/handoffs/{id}",
    summary: "One hand-off with the conversation and what staff wrote, with each message's delivery (staff)",
    security: staffSecurity,
    request: { params: Id },
    responses: {
      200: jsonContent(HandoffSchema.extend({ messages: z.array(MessageSchema) }), "The hand-off"),
      404: errorResponse("No such hand-off"),
      ...staffErrors,
    },
  }),
  claim: createRoute({
    method: "post",
    path: "/api/handoffs/{id}/claim",
    summary: "接单: take an open hand-off; one claim wins across every instance (staff)",
    security: staffSecurity,
    request: { params: Id },
    responses: {
      200: jsonContent(HandoffSchema, "Claimed"),
      404: errorResponse("No such hand-off"),
      409: errorResponse("Already claimed, answered or closed (claimedBy)"),
      ...staffErrors,
    },
  }),
  reply: createRoute({
    method: "post",
    path: "/api/handoffs/{id}/reply",
    summary: "Answer the user on their channel, marked 人工回复; sent as written, not stored as a bot answer (staff)",
    security: staffSecurity,
    request: {
      params: Id,
      body: { content: { "application/json": { schema: z.object({ text: z.string().trim().min(1, "text must not be empty").max(2000) }) } }, required: true },
    },
    responses: {
      200: jsonContent(
        z.object({
          handoff: HandoffSchema,
          message: MessageSchema,
          delivery: z.enum(["delivered", "pending", "undeliverable"]),
          reason: z.string().optional().openapi({ description: "undeliverable: why (e.g. outside WeChat's 48-hour window)" }),
        }),
        "Written; delivered, waiting for the channel's instance, or undeliverable",
      ),
      400: errorResponse("No text"),
      404: errorResponse("No such hand-off"),
      409: errorResponse("The hand-off is closed"),
      ...staffErrors,
    },
  }),
  close: createRoute({
    method: "post",
    path: "/api/handoffs/{id}/close",
    summary: "关闭 a hand-off (staff)",
    security: staffSecurity,
    request: { params: Id },
    responses: { 200: jsonContent(HandoffSchema, "Closed"), 404: errorResponse("No such hand-off, or already closed"), ...staffErrors },
  }),
  teach: createRoute({
    method: "post",
    path: "/api/handoffs/{id}/teach",
    summary: "Teach the question and the staff answer to the question library, linked to the clause cited; verified as library answers are (staff)",
    security: staffSecurity,
    request: { params: Id, body: { content: { "application/json": { schema: z.object({ measureId: z.string().min(1).max(200) }) } }, required: true } },
    responses: {
      201: jsonContent(z.object({ entryId: z.string() }), "Taught"),
      400: errorResponse("No staff answer yet, an unknown measure, or an answer that fails verification (naming the problem)"),
      404: errorResponse("No such hand-off"),
      409: errorResponse("The question is already taught (existingId)"),
      503: errorResponse("No question library"),
      ...staffErrors,
    },
  }),
  conversation: createRoute({
    method: "get",
    path: "/api/conversation-messages/{id}",
    // Not under /api/conversations: that is the staff log; this is the asker's own conversation, by its id.
    summary: "What staff wrote into this conversation (人工回复), oldest first; the console polls it while a hand-off is open",
    request: {
      params: Id,
      query: z.object({
        after: z.string().max(40).optional(),
        channel: z.enum(["web", "api"]).default("web").openapi({ description: "The channel the conversation was asked on (POST /api/ask is api)" }),
      }),
    },
    responses: {
      200: jsonContent(
        z.object({
          messages: z.array(MessageSchema.pick({ id: true, text: true, createdAt: true })),
          waiting: z.boolean().openapi({ description: "A hand-off is still open: poll again" }),
        }),
        "Messages",
      ),
    },
  }),
  page: createRoute({
    method: "get",
    path: "/staff/handoffs",
    summary: "转人工 staff page (HTML): open, answered, closed; reply, claim, close, teach",
    security: [],
    responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "The page" } },
  }),
};

const shown = (handoff: Handoff) => view(handoff);
const message = ({ handoffId: _, conversationId: __, ...rest }: HandoffMessage) => rest;

/** The staff API and page for hand-offs, and the conversation's messages the web console polls. */
export function registerHandoffRoutes(app: OpenAPIHono<HttpEnv>, { service: handoffs, pages, requireStaff, html }: HandoffRoutesOptions): void {
  app.use("/api/handoffs", requireStaff);
  app.use("/api/handoffs/*", requireStaff);
  const actor = (c: Context<HttpEnv>) => c.get("staff") ?? "unknown";

  app.openapi(routes.list, async (c) => c.json({ handoffs: (await handoffs.list(c.req.valid("query").status)).map(shown) }, 200));

  app.openapi(routes.get, async (c) => {
    const found = await handoffs.get(c.req.valid("param").id);
    if (!found) return c.json({ error: `no hand-off ${c.req.valid("param").id}` }, 404);
    return c.json({ ...shown(found.handoff), messages: found.messages.map(message) }, 200);
  });

  app.openapi(routes.claim, async (c) => {
    const { id } = c.req.valid("param");
    const outcome = await handoffs.claim(id, actor(c));
    if (outcome.ok) return c.json(shown(outcome.handoff), 200);
    if (outcome.reason === "not-found") return c.json({ error: `no hand-off ${id}` }, 404);
    return c.json({ error: `already ${outcome.handoff?.status}${outcome.handoff?.claimedBy ? ` by ${outcome.handoff.claimedBy}` : ""}` }, 409);
  });

  app.openapi(routes.reply, async (c) => {
    const { id } = c.req.valid("param");
    const outcome = await handoffs.reply(id, c.req.valid("json").text, actor(c));
    if (!outcome.ok) return outcome.reason === "not-found" ? c.json({ error: `no hand-off ${id}` }, 404) : c.json({ error: "the hand-off is closed" }, 409);
    const { delivery } = outcome.outcome;
    const reason = outcome.outcome.delivery === "undeliverable" ? outcome.outcome.reason : undefined;
    return c.json({ handoff: shown(outcome.handoff), message: message(outcome.message), delivery, ...(reason ? { reason } : {}) }, 200);
  });

  app.openapi(routes.close, async (c) => {
    const { id } = c.req.valid("param");
    const closed = await handoffs.close(id, actor(c));
    return closed ? c.json(shown(closed), 200) : c.json({ error: `no open hand-off ${id}` }, 404);
  });

  app.openapi(routes.teach, async (c) => {
    const { id } = c.req.valid("param");
    const outcome = await handoffs.teach(id, c.req.valid("json").measureId, actor(c));
    if (outcome.ok) return c.json({ entryId: outcome.entryId }, 201);
    switch (outcome.reason) {
      case "not-found":
        return c.json({ error: `no hand-off ${id}` }, 404);
      case "no-library":
        return c.json({ error: "no question library is open" }, 503);
      case "no-reply":
        return c.json({ error: "text: no staff answer to teach yet", field: "text" }, 400);
      case "duplicate":
        return c.json({ error: "question: this question is already in the library", field: "question", existingId: outcome.existingId }, 409);
      default:
        return c.json({ error: `${outcome.field}: ${outcome.error}`, field: outcome.field }, 400);
    }
  });

  app.openapi(routes.conversation, async (c) => {
    // The dispatcher keeps a caller's conversation id under its channel, so it never names another channel's.
    const { after, channel } = c.req.valid("query");
    const id = `${channel}:${c.req.valid("param").id}`;
    const rows = await handoffs.conversationMessages(id, after);
    const waiting = await handoffs.hasActive(id);
    return c.json({ messages: rows.map(({ id, text, createdAt }) => ({ id, text, createdAt })), waiting }, 200);
  });

  servePage(app, routes.page, html ?? loadHandoffsHtml());
  if (pages) registerAnswerPage(app, { pages });
}
