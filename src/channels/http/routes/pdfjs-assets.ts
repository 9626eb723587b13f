import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { HttpEnv } from "../env.js";

let installed: { folder: string; version: string } | undefined;
/** pdfjs-dist as installed, found when first asked for. */
function pdfjsPackage() {
  if (installed) return installed;
  const manifest = createRequire(import.meta.url).resolve("pdfjs-dist/package.json");
  installed = { folder: dirname(manifest), version: (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version };
  return installed;
}

/** Where the original view loads pdf.js from: this server, versioned so a browser may keep it (no CDN; the service runs offline). */
export const pdfjsBase = () => `/assets/pdfjs/${pdfjsPackage().version}/`;

/** The data folders pdf.js asks for by name: CJK character maps (most Chinese PDFs), fonts a file does not embed, image decoders, colour profiles. */
const FOLDERS = ["cmaps", "standard_fonts", "wasm", "iccs"] as const;

const TYPES: Record<string, string> = {
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".ttf": "font/ttf",
};

let files: Map<string, string> | undefined;
/**
 * The files that may be served, by the name the browser asks for → their path: the legacy build (it runs in the
 * older browsers offices keep) and the data folders' files, listed once. Nothing outside this list is ever read.
 */
function servable(): Map<string, string> {
  if (files) return files;
  const { folder: root } = pdfjsPackage();
  files = new Map([
    ["pdf.min.mjs", join(root, "legacy/build/pdf.min.mjs")],
    ["pdf.worker.min.mjs", join(root, "legacy/build/pdf.worker.min.mjs")],
  ]);
  for (const folder of FOLDERS) {
    for (const name of readdirSync(join(root, folder))) if (!name.startsWith("LICENSE")) files.set(`${folder}/${name}`, join(root, folder, name));
  }
  return files;
}

const response = {
  200: { content: { "application/octet-stream": { schema: z.string() } }, description: "The file" },
  404: { description: "Not one of pdf.js's files" },
};

const routes = {
  build: createRoute({
    method: "get",
    path: "/assets/pdfjs/{version}/{file}",
    summary: "pdf.js (the legacy build of pdfjs-dist: pdf.min.mjs and its worker), served from this server for the original view of uploaded PDFs",
    security: [],
    request: { params: z.object({ version: z.string(), file: z.string() }) },
    responses: response,
  }),
  data: createRoute({
    method: "get",
    path: "/assets/pdfjs/{version}/{folder}/{file}",
    summary: "pdf.js's data files (cmaps, standard_fonts, wasm, iccs), loaded by pdf.js as a page needs them",
    security: [],
    request: { params: z.object({ version: z.string(), folder: z.enum(FOLDERS), file: z.string() }) },
    responses: response,
  }),
};

/** pdf.js and its data files, from node_modules, only the files it ships and only under this version. */
export function registerPdfjsAssets(app: OpenAPIHono<HttpEnv>): void {
  const serve = (version: string, name: string) => {
    const path = version === pdfjsPackage().version ? servable().get(name) : undefined;
    if (!path) return new Response("not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    return new Response(readFileSync(path), {
      headers: {
        "Content-Type": TYPES[extname(name)] ?? "application/octet-stream",
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
      },
    });
  };
  app.openapi(routes.build, (c) => serve(c.req.valid("param").version, c.req.valid("param").file) as never);
  app.openapi(routes.data, (c) => {
    const { version, folder, file } = c.req.valid("param");
    return serve(version, `${folder}/${file}`) as never;
  });
}
