import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { type DocumentsErrorCode, isDocumentsError } from "../../../documents/documents-error.js";
import type { DocumentsService, UploadedFile } from "../../../documents/documents-service.js";
import { isIngestError } from "../../../ingest/errors.js";
import { ACCEPTED_EXTENSIONS } from "../../../ingest/source-format.js";
import type { HttpEnv } from "../env.js";
import { errorResponse, jsonContent } from "../schemas.js";
import { duringOutage } from "./store-outage.js";

/** The most an upload request may carry; past it the request is refused before it is read. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Files per upload request. */
export const MAX_UPLOAD_FILES = 20;
export const UPLOAD_PATH = "/api/documents";

const staffSecurity = [{ staff: [] }];
const staffErrors = {
  401: errorResponse("Wrong or missing ADMIN_TOKEN"),
  403: errorResponse("No ADMIN_TOKEN set and the client is not on this machine"),
};

const UploadView = z
  .object({
    id: z.string(),
    status: z.enum(["reading", "failed", "preview", "published", "archived"]).openapi({
      description: "reading: OCR reads it in the background (see `reading`); failed: it could not be read (see `error`, retry it)",
    }),
    version: z.number().int(),
    title: z.string(),
    docNumber: z.string().optional(),
    measures: z.number().int(),
    warnings: z.array(z.string()),
  })
  .catchall(z.any())
  .openapi("UploadedDocument");

const UploadResult = z.object({ documents: z.array(UploadView), refused: z.array(z.object({ file: z.string(), error: z.string() })) });

const IdParam = z.object({ id: z.string().regex(/^doc-[\w-]+$/, "id: not a document id") });

const DocumentPatch = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    docNumber: z.string().trim().max(60).optional(),
    issuer: z.string().trim().min(1).max(100).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "date must be YYYY-MM-DD")
      .optional(),
    region: z.string().trim().min(1).max(50).optional(),
    status: z.enum(["in-force", "repealed", "superseded"]).optional().openapi({ description: "废止 (repealed), 被替代 (superseded), or back in force" }),
    effectiveDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "effectiveDate must be YYYY-MM-DD")
      .optional()
      .openapi({ description: "From when a repeal or supersession applies" }),
    replacedBy: z.string().trim().max(200).optional().openapi({ description: "The superseding document: an uploaded document's id, or its title" }),
    reason: z.string().trim().max(300).optional(),
  })
  .openapi("DocumentPatch");

const routes = {
  upload: createRoute({
    method: "post",
    path: UPLOAD_PATH,
    summary:
      "Upload PDF, Word (.docx), web pages (.html), scanned images or .txt (staff): each becomes a preview; a scan (OCR) is kept and read in the background (status reading)",
    security: staffSecurity,
    request: {
      body: {
        content: {
          "multipart/form-data": { schema: z.object({ file: z.any().openapi({ type: "string", format: "binary", description: "one or more files" }) }) },
        },
        required: true,
      },
    },
    responses: {
      201: jsonContent(UploadResult, "Previews"),
      202: jsonContent(
        UploadResult,
        "Accepted: at least one file needs OCR and is being read in the background (status reading); list the uploads to follow it",
      ),
      400: errorResponse("No file, or no file could be read (each is named with why)"),
      413: errorResponse("Larger than 50 MB"),
      503: errorResponse("The database cannot be reached; try again after Retry-After seconds"),
      ...staffErrors,
    },
  }),
  uploads: createRoute({
    method: "get",
    path: "/api/documents/uploads",
    summary: "Every uploaded document in every state, newest first (staff)",
    security: staffSecurity,
    responses: { 200: jsonContent(z.object({ documents: z.array(UploadView) }), "Uploads"), ...staffErrors },
  }),
  preview: createRoute({
    method: "get",
    path: "/api/documents/{id}",
    summary: "One upload: fields, outline, every measure with its fields, warnings, and what changed from the published version (staff)",
    security: staffSecurity,
    request: { params: IdParam },
    responses: { 200: jsonContent(UploadView, "The preview"), 404: errorResponse("No such document"), ...staffErrors },
  }),
  patch: createRoute({
    method: "patch",
    path: "/api/documents/{id}",
    summary: "Correct fields, or retire (废止 / 被替代 with a date) or reinstate a document (staff)",
    security: staffSecurity,
    request: { params: IdParam, body: { content: { "application/json": { schema: DocumentPatch } }, required: true } },
    responses: {
      200: jsonContent(UploadView, "Updated"),
      400: errorResponse("Invalid input"),
      404: errorResponse("No such document"),
      409: errorResponse("Still being read, or its reading failed"),
      ...staffErrors,
    },
  }),
  publish: createRoute({
    method: "post",
    path: "/api/documents/{id}/publish",
    summary: "Publish: searchable within seconds, no restart; a new version replaces the published one (staff)",
    security: staffSecurity,
    request: { params: IdParam },
    responses: {
      200: jsonContent(UploadView, "Published"),
      404: errorResponse("No such document"),
      409: errorResponse("An old version, still being read, or its reading failed"),
      ...staffErrors,
    },
  }),
  retry: createRoute({
    method: "post",
    path: "/api/documents/{id}/retry",
    summary: "Read again an upload whose reading (OCR) failed: back to status reading (staff)",
    security: staffSecurity,
    request: { params: IdParam },
    responses: {
      200: jsonContent(UploadView, "Waiting to be read again"),
      404: errorResponse("No such document"),
      409: errorResponse("Its reading did not fail"),
      ...staffErrors,
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/api/documents/{id}",
    summary: "Delete a document entirely: index, database and stored file (staff)",
    security: staffSecurity,
    request: { params: IdParam },
    responses: { 200: jsonContent(z.object({ deleted: z.string() }), "Deleted"), 404: errorResponse("No such document"), ...staffErrors },
  }),
};

export interface DocumentRoutesOptions {
  documents: DocumentsService;
  requireStaff: MiddlewareHandler<HttpEnv>;
}

/** The staff member for the audit log: the token's name the auth middleware leaves, or loopback. */
function actorOf(c: Context<HttpEnv>): string {
  return c.get("staff") ?? "staff";
}

/** The HTTP status each refusal of the staff workflow answers with. */
const STATUS_OF: Record<DocumentsErrorCode, 400 | 404 | 409> = { DOCUMENT_INVALID: 400, DOCUMENT_NOT_FOUND: 404, DOCUMENT_CONFLICT: 409 };

/** The service's refusals (no such document, an old version) as HTTP errors with their message and code. */
async function orHttpError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isDocumentsError(error)) throw error;
    const status = STATUS_OF[error.code];
    throw new HTTPException(status, { res: Response.json({ error: error.message, code: error.code }, { status }) });
  }
}

/** Whether this request is an upload: it gets the upload body limit and is exempt from the JSON-only rule. */
export const isUpload = (c: Context) => c.req.method === "POST" && c.req.path === UPLOAD_PATH;

export function registerDocumentRoutes(app: OpenAPIHono<HttpEnv>, { documents, requireStaff }: DocumentRoutesOptions): void {
  app.use(UPLOAD_PATH, async (c, next) => (c.req.method === "POST" ? requireStaff(c, next) : next()));
  app.use("/api/documents/*", requireStaff);

  app.openapi(routes.upload, async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("multipart/form-data"))
      return c.json({ error: "body: send the files as multipart/form-data with one or more file fields", field: "body" }, 400);
    // A form on another site can post multipart without a CORS preflight; the console's fetch sends this header, a form cannot.
    if (!c.req.header("x-requested-with"))
      return c.json({ error: "X-Requested-With: required on uploads (send any value), so a form on another site cannot upload", field: "body" }, 400);
    const body = await c.req.parseBody({ all: true });
    const files = [body.file].flat().filter((f): f is File => f instanceof File);
    if (!files.length) return c.json({ error: "file: no file field in the upload", field: "file" }, 400);
    if (files.length > MAX_UPLOAD_FILES) return c.json({ error: `file: at most ${MAX_UPLOAD_FILES} files per upload`, field: "file" }, 400);
    const accepted: UploadedFile[] = [];
    const refused: Array<{ file: string; error: string }> = [];
    for (const file of files) {
      const extension = file.name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? "";
      if (!ACCEPTED_EXTENSIONS.includes(extension))
        refused.push({ file: file.name, error: `${file.name}: ${extension || "no extension"} is not accepted; upload ${ACCEPTED_EXTENSIONS.join(" ")}` });
      else if (file.size === 0) refused.push({ file: file.name, error: `${file.name}: the file is empty` });
      else accepted.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    }
    const uploaded = [];
    for (const file of accepted) {
      try {
        uploaded.push(...(await duringOutage("keep the upload", () => documents.upload([file], actorOf(c)))));
      } catch (error) {
        if (!isIngestError(error)) throw error;
        refused.push({ file: file.name, error: error.message });
      }
    }
    if (!uploaded.length) return c.json({ error: refused.map((r) => r.error).join("; "), field: "file" }, 400);
    // A scan is answered before it is read (202); files read at once keep their 201.
    if (uploaded.some((d) => d.status === "reading")) return c.json({ documents: uploaded, refused }, 202);
    return c.json({ documents: uploaded, refused }, 201);
  });

  app.openapi(routes.uploads, async (c) => c.json({ documents: await documents.list() }, 200));

  app.openapi(routes.preview, async (c) => c.json(await orHttpError(documents.preview(c.req.valid("param").id)), 200));

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid("param");
    const { status, effectiveDate, replacedBy, reason, ...corrections } = c.req.valid("json");
    if ((status === "repealed" || status === "superseded") && !effectiveDate) {
      return c.json({ error: "effectiveDate: required to repeal or supersede (YYYY-MM-DD)", field: "effectiveDate" }, 400);
    }
    if (status === "superseded" && !replacedBy) return c.json({ error: "replacedBy: name the document that supersedes this one", field: "replacedBy" }, 400);
    let view = Object.keys(corrections).length ? await orHttpError(documents.correct(id, corrections, actorOf(c))) : undefined;
    if (status === "in-force") view = await orHttpError(documents.reinstate(id, actorOf(c)));
    else if (status && effectiveDate) view = await orHttpError(documents.retire(id, { kind: status, date: effectiveDate, replacedBy, reason }, actorOf(c)));
    return c.json(view ?? (await orHttpError(documents.preview(id))), 200);
  });

  app.openapi(routes.publish, async (c) => {
    return c.json(await orHttpError(documents.publish(c.req.valid("param").id, actorOf(c))), 200);
  });

  app.openapi(routes.retry, async (c) => {
    return c.json(await orHttpError(documents.retry(c.req.valid("param").id, actorOf(c))), 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid("param");
    await orHttpError(documents.remove(id, actorOf(c)));
    return c.json({ deleted: id }, 200);
  });
}
