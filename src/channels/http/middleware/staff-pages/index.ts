import type { MiddlewareHandler } from "hono";
import type { HttpEnv } from "../../env.js";
import { requireStaff, staffTokenName, type WrongTokenLimiter } from "../auth/index.js";
import { refuse } from "../auth/refusal.js";
import { overHttps, type SessionCodec, setSessionCookie } from "../session/index.js";

export interface StaffPagesOptions {
  adminToken?: string;
  wrongTokens: WrongTokenLimiter;
  codec?: SessionCodec;
  trustProxy?: boolean;
}

/** The address without its `token` parameter. */
function withoutToken(url: string): string {
  const address = new URL(url);
  address.searchParams.delete("token");
  return address.pathname + address.search;
}

/**
 * A page opened as `?token=<ADMIN_TOKEN>` (an older bookmark, a link from a script) signs in instead: the
 * session cookie is set and the browser sent on to the same address without the token, so the token leaves
 * the address bar and the history. A token that is not a staff token is left for the page (the console
 * takes the API token that way), unless `staffOnly`, where it counts as a wrong guess.
 */
export function tokenInAddress({ adminToken, wrongTokens, codec, trustProxy = false }: StaffPagesOptions, staffOnly: boolean): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const given = c.req.method === "GET" ? c.req.query("token") : undefined;
    if (!given || !adminToken || !codec) return next();
    const name = staffTokenName(given, adminToken);
    if (name !== undefined) {
      setSessionCookie(c, codec.issue(name), { secure: overHttps(c, trustProxy) });
      return c.redirect(withoutToken(c.req.url), 303);
    }
    if (!staffOnly) return next();
    const client = c.get("client") ?? "unknown";
    const wait = await wrongTokens.fail(client);
    if (wait > 0) return refuse(c, { status: 429, code: "TOO_MANY_WRONG_TOKENS", message: `口令错误次数过多，请${wait}秒后再试。`, retryAfterSeconds: wait });
    return next();
  };
}

/**
 * Staff pages (/staff/*) opened in a browser show only to staff: anyone else gets a page in Chinese saying how to
 * sign in. The pages hold no data of their own; what protects the data is the staff check on every /api route
 * they call, so a program fetching a page's HTML (no text/html in Accept) still gets the empty page.
 */
export function staffPages(options: StaffPagesOptions): MiddlewareHandler<HttpEnv> {
  const fromAddress = tokenInAddress(options, true);
  const staff = requireStaff(options);
  const open = new Set(["/staff/sign-in", "/staff/sign-out"]);
  return async (c, next) => {
    if (open.has(c.req.path) || !(c.req.header("accept") ?? "").includes("text/html")) return next();
    let refused: Response | undefined;
    const redirected = await fromAddress(c, async () => {
      refused = (await staff(c, next)) ?? undefined;
    });
    return redirected ?? refused;
  };
}
