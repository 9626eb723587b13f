import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Context } from "hono";
import type { HttpEnv } from "../../env.js";
import { renderPage } from "../page-headers/layout.js";

export interface Refusal {
  status: 401 | 403 | 429;
  /** Stable, for programs: API_TOKEN_REQUIRED, STAFF_SIGN_IN_REQUIRED, STAFF_LOCAL_ONLY, TOO_MANY_WRONG_TOKENS. */
  code: string;
  /** For people, in Chinese. */
  message: string;
  retryAfterSeconds?: number;
}

const TITLES: Record<Refusal["status"], string> = { 401: "需要登录", 403: "没有权限", 429: "请稍后再试" };

let page: string | undefined;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Whether a browser navigated here (HTML accepted, as a page or a download link sends), so it gets a page rather than JSON; scripts' fetch() sends no text/html. */
function wantsPage(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}

/**
 * A refused request, said in Chinese: `{error: {code, message}}` for the API and programs, a page with the way
 * to sign in for a browser. Either way the staff token is never echoed.
 */
export function refuse(c: Context<HttpEnv>, refusal: Refusal): Response {
  const { status, code, message, retryAfterSeconds } = refusal;
  if (!wantsPage(c)) return c.json({ error: { code, message }, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }, status);
  page ??= readFileSync(new URL("../../refused.html", import.meta.url), "utf8");
  const next = c.req.path + (new URL(c.req.url).search.replace(/([?&])token=[^&]*&?/, "$1").replace(/[?&]$/, "") || "");
  const action =
    status === 401 && c.get("sessions") === true
      ? `<a class="go" id="go-sign-in" href="/staff/sign-in?next=${encodeURIComponent(next)}">去登录</a>`
      : `<a class="go" href="/">返回问答工作台</a>`;
  const nonce = randomBytes(16).toString("base64");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  const html = renderPage(page, c, nonce)
    .replaceAll("{{TITLE}}", TITLES[status])
    .replace("{{MESSAGE}}", () => escapeHtml(message))
    .replace("{{ACTION}}", () => action);
  return c.html(html, status);
}
