import { readFileSync } from "node:fs";
import type { Context } from "hono";
import type { HttpEnv } from "../../env.js";

let partials: { head: string; header: string } | undefined;
/** The head and header every staff page shares, read once, when the first page is served. */
function sharedPartials() {
  partials ??= {
    head: readFileSync(new URL("../../staff-head.html", import.meta.url), "utf8"),
    header: readFileSync(new URL("../../staff-header.html", import.meta.url), "utf8"),
  };
  return partials;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Who the header says is here, and the way in or out. */
function who(c: Context<HttpEnv>): string {
  const session = c.get("session");
  if (session !== undefined) {
    return `<span>已登录：${escapeHtml(session)}</span><form method="post" action="/staff/sign-out"><button type="submit" id="sign-out">退出登录</button></form>`;
  }
  if (c.get("sessions") === true) return `<a id="sign-in" href="/staff/sign-in?next=${encodeURIComponent(c.req.path)}">工作人员登录</a>`;
  return c.get("local") === true ? `<span>本机访问</span>` : "";
}

/**
 * Fills a page's placeholders for this response: {{STAFF_HEAD}} (meta, shared styles), {{STAFF_HEADER}} (the one
 * header, its link to this page marked current), and {{NONCE}}, the script nonce of this response.
 */
export function renderPage(html: string, c: Context<HttpEnv>, nonce: string): string {
  const { head, header } = sharedPartials();
  const path = c.req.path;
  const current = header.replace(
    new RegExp(`(<a id="[\\w-]+"(?: class="[\\w-]+")? href="${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}")`),
    '$1 aria-current="page"',
  );
  // Functions as replacements, so a "$" in a path or a name is never read as a pattern.
  return html
    .replace("{{STAFF_HEAD}}", () => head)
    .replace("{{STAFF_HEADER}}", () => current.replace("{{STAFF_WHO}}", () => who(c)))
    .replaceAll("{{NONCE}}", () => nonce);
}
