import { z } from "@hono/zod-openapi";
import { MAX_QUESTION_CHARS } from "../../core/ask.js";
import { normalizeQuestion } from "../../search/normalize.js";
import { ANSWER_OUTCOMES } from "../../types.js";

export const ErrorSchema = z.object({ error: z.string(), field: z.string().optional(), retryAfterSeconds: z.number().int().optional() }).openapi("Error");

export const AskRequest = z
  .object({
    question: z
      .string({ required_error: "question is required" })
      .trim()
      .min(1, "question must not be empty")
      .max(MAX_QUESTION_CHARS, `question must be at most ${MAX_QUESTION_CHARS} characters`)
      // Only invisible marks (zero-width spaces pasted from a chat app) is empty too: ask() would throw on it.
      .refine((question) => normalizeQuestion(question) !== "", "question must not be empty"),
    conversationId: z
      .string()
      .min(1, "会话编号不能为空；开始新会话时请不要填写")
      .max(100, "会话编号不能超过100个字符")
      // Letters, digits, - and _ only: no spaces, and no colon, so an id cannot pose as another channel's ("slack:C1:…").
      .regex(/^[A-Za-z0-9_-]+$/, "会话编号只能包含字母、数字、- 和 _")
      .optional(),
    channel: z.enum(["web", "api"]).optional().openapi({ description: "Where the question came from, for the store; defaults to api (web for the stream)." }),
  })
  .openapi("AskRequest");

/** The GET stream takes the question in the query string and stores nothing. */
export const AskQuery = AskRequest.omit({ channel: true });

export const CitationSchema = z
  .object({
    marker: z.number().int(),
    kind: z.enum(["measure", "document"]),
    measureId: z.string().optional(),
    documentId: z.string(),
    text: z.string(),
    document: z.string(),
    docNumber: z.string().optional(),
    issuer: z.string(),
    date: z.string().optional(),
    region: z.string(),
    path: z.string(),
    pages: z.array(z.number().int()),
    score: z.number(),
    status: z.enum(["active", "ended", "undated"]),
    validity: z.string().optional(),
  })
  .openapi("Citation");

export const AnswerSchema = z
  .object({
    answerId: z.string().optional().openapi({ description: "Present only when the answer was stored; rate it with POST /api/feedback." }),
    conversationId: z.string().optional(),
    stored: z.boolean().openapi({ description: "False when the store could not keep the answer (or for GET, which stores nothing)." }),
    answer: z.string().openapi({ description: "The full rendering: body, notices, sources and closing line." }),
    body: z.string().openapi({ description: "The answer with [n] citation markers, without notices." }),
    notices: z.array(z.object({ kind: z.enum(["validity", "hedge", "region", "brief", "not-stated"]), text: z.string() })),
    outcome: z.enum(ANSWER_OUTCOMES).openapi({ description: "What became of the question; `refused`, `confidence` and `mode` follow from it." }),
    confidence: z.enum(["answer", "low", "refuse"]),
    refused: z.boolean(),
    refusalReason: z
      .enum(["no-match", "other-region", "personal-matter", "request-to-act", "amount-not-stated", "not-stated", "injection", "too-long"])
      .nullable(),
    suggestions: z.array(z.string()),
    citations: z.array(CitationSchema),
    mode: z.enum(["extractive", "llm", "refusal"]),
    draftRejected: z.boolean().openapi({ description: "True when streamed tokens were a draft this answer replaces." }),
    promptVersion: z.string().optional(),
    libraryEntryId: z.string().optional().openapi({ description: "The question-library entry the answer came from, when staff taught this question." }),
  })
  .openapi("Answer");

export const FeedbackRequest = z
  .object({
    answerId: z.string().min(1, "answerId is required"),
    rating: z.enum(["up", "down"], { message: "rating must be up or down" }),
    comment: z.string().max(1000).optional(),
  })
  .openapi("FeedbackRequest");

export const MeasuresQuery = z.object({
  q: z.string().max(200).optional(),
  region: z.string().max(50).optional(),
  issuer: z.string().max(100).optional(),
  status: z.enum(["active", "ended", "undated"]).optional(),
  page: z.coerce.number().int().min(1).default(1),
});

/** Documents and measures are served as the views build them; the spec names their main fields. */
export const MeasureSchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    marker: z.string(),
    path: z.array(z.string()),
    text: z.string(),
    status: z.string(),
    validity: z.string().optional(),
  })
  .catchall(z.any())
  .openapi("Measure");
export const DocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    shortTitle: z.string(),
    docNumber: z.string().optional(),
    issuer: z.string(),
    region: z.string(),
    measures: z.number().int(),
  })
  .catchall(z.any())
  .openapi("Document");

export const UnansweredSchema = z
  .object({
    answerId: z.string(),
    question: z.string(),
    answer: z.string(),
    refused: z.boolean(),
    rating: z.string().optional(),
    comment: z.string().optional(),
    channel: z.string(),
    createdAt: z.string(),
  })
  .openapi("UnansweredItem");

export const jsonContent = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
export const errorResponse = (description: string) => jsonContent(ErrorSchema, description);
