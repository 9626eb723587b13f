import { readFileSync } from "node:fs";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { HttpEnv } from "../env.js";
import { staffTokenName, tooManyWrongTokens, type WrongTokenLimiter } from "../middleware/auth/index.js";
import { limitBody } from "../middleware/body-limit/index.js";
import { pageHeaders } from "../middleware/page-headers/index.js";
import { renderPage } from "../middleware/page-headers/layout.js";
import { clearSessionCookie, overHttps, type SessionCodec, setSessionCookie } from "../middleware/session/index.js";

export const SIGN_IN_PATH = "/staff/sign-in";
export const SIGN_OUT_PATH = "/staff/sign-out";

export interface SignInOptions {
  adminToken?: string;
  codec?: SessionCodec;
  wrongTokens: WrongTokenLimiter;
  trustProxy?: boolean;
  /** The page; src/channels/http/sign-in.html by default, read when the routes are registered. */
  html?: string;
}

const html200 = (description: string) => ({ content: { "text/html": { schema: z.string() } }, description });
const routes = {
  page: createRoute({
    method: "get",
    path: SIGN_IN_PATH,
    summary: "The staff sign-in page (HTML): ADMIN_TOKEN typed once becomes a session cookie",
    security: [],
    responses: { 200: html200("The page") },
  }),
  signIn: createRoute({
    method: "post",
    path: SIGN_IN_PATH,
    summary: "Sign in (form: token, next): sets an HttpOnly, SameSite=Strict, signed and expiring session cookie, then 303 to next",
    security: [],
    responses: {
      303: { description: "Signed in" },
      401: html200("Wrong token: the page again, with the message"),
      429: { description: "Too many wrong tokens" },
    },
  }),
  signOut: createRoute({
    method: "post",
    path: SIGN_OUT_PATH,
    summary: "Sign out: clears the session cookie, then 303 to the sign-in page",
    security: [],
    responses: { 303: { description: "Signed out" } },
  }),
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Where to go after signing in: a path on this site only, never another host (//evil, /\evil) or a script. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !/^\/(?![/\\])/.test(next) || /[\\\s]/.test(next) || next.startsWith(SIGN_IN_PATH)) return "/";
  return next;
}

/**
 * /staff/sign-in: the ADMIN_TOKEN typed once becomes an HttpOnly, SameSite=Strict session cookie (Secure over
 * HTTPS) that names the staff member and expires; the token itself is never stored in the browser. Wrong tokens
 * count against the same per-client limit as wrong Bearer tokens. /staff/sign-out ends the session in this browser.
 */
export function registerSignInRoutes(app: OpenAPIHono<HttpEnv>, options: SignInOptions): void {
  const { adminToken, codec, wrongTokens, trustProxy = false } = options;
  const html = options.html ?? readFileSync(new URL("../sign-in.html", import.meta.url), "utf8");

  const page = (c: Context<HttpEnv>, status: 200 | 401, message?: { kind: "error" | "ok"; text: string }, given?: unknown) => {
    const next = safeNext(given ?? c.req.query("next"));
    const form = adminToken
      ? `<form class="sign-in" method="post" action="${SIGN_IN_PATH}"><label for="token">工作人员口令（ADMIN_TOKEN）</label>` +
        `<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>` +
        `<input type="hidden" name="next" value="${escapeHtml(next)}"><button type="submit">登录</button>` +
        `<p class="meta">登录后本浏览器在 8 小时内无需再次输入口令；口令本身不会保存在浏览器中。</p></form>`
      : `<p class="meta">本服务未设置 ADMIN_TOKEN：工作人员功能只在本机开放，无需登录。要从其他机器使用，请管理员设置 ADMIN_TOKEN。</p>`;
    const shown = message
      ? `<p class="message ${message.kind}" role="${message.kind === "error" ? "alert" : "status"}" id="message">${escapeHtml(message.text)}</p>`
      : "";
    const body = renderPage(html, c, c.get("secureHeadersNonce" as never) ?? "")
      .replace("{{MESSAGE}}", () => shown)
      .replace("{{FORM}}", () => form);
    return c.html(body, status);
  };

  app.use(SIGN_IN_PATH, pageHeaders());
  const signInBodyLimit = limitBody(8 * 1024);
  app.openapi(routes.page, (c) => {
    if (c.req.query("signed-out") !== undefined) return page(c, 200, { kind: "ok", text: "已退出登录。" });
    if (c.get("session") !== undefined) return page(c, 200, { kind: "ok", text: `已登录：${c.get("session")}。` });
    return page(c, 200);
  });

  app.use(SIGN_IN_PATH, async (c, next) => (c.req.method === "POST" ? signInBodyLimit(c, next) : next()));
  app.openapi(routes.signIn, async (c) => {
    if (!adminToken || !codec) return page(c, 200);
    const client = c.get("client") ?? "unknown";
    const locked = await wrongTokens.lockedFor(client);
    if (locked > 0) return tooManyWrongTokens(c, locked);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const name = token ? staffTokenName(token, adminToken) : undefined;
    if (name === undefined) {
      const wait = await wrongTokens.fail(client);
      if (wait > 0) return tooManyWrongTokens(c, wait);
      return page(c, 401, { kind: "error", text: "口令不正确，请重新输入。" }, form.next);
    }
    setSessionCookie(c, codec.issue(name), { secure: overHttps(c, trustProxy) });
    return c.redirect(safeNext(form.next), 303);
  });

  app.openapi(routes.signOut, async (c) => {
    clearSessionCookie(c, { secure: overHttps(c, trustProxy) });
    return c.redirect(`${SIGN_IN_PATH}?signed-out`, 303);
  });
}
