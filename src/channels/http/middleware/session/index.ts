import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { parseStaffTokens } from "../../../../config.js";
import type { HttpEnv } from "../../env.js";

export const SESSION_COOKIE = "staff_session";
/** A working day: a console left signed in overnight asks again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/**
 * A staff session that names who signed in and until when, signed with a key derived from ADMIN_TOKEN: the cookie
 * never holds a token, another instance with the same ADMIN_TOKEN accepts it, and changing ADMIN_TOKEN ends every session.
 */
export function createSessionCodec({ adminToken, now = Date.now }: { adminToken: string; now?: () => number }) {
  const key = createHash("sha256").update(`relief staff session\0${adminToken}`).digest();
  const names = new Set(parseStaffTokens(adminToken).map((t) => t.name));
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest();
  return {
    /** The cookie value for `name`, valid for `maxAgeSeconds`. */
    issue(name: string, maxAgeSeconds = SESSION_MAX_AGE_SECONDS): string {
      const payload = base64url(JSON.stringify({ name, expires: now() + maxAgeSeconds * 1000, id: randomBytes(9).toString("base64url") }));
      return `${payload}.${base64url(sign(payload))}`;
    },
    /** The staff name the cookie was issued to, or undefined when it is forged, expired or names a token no longer set. */
    verify(value: string | undefined): string | undefined {
      const [payload, signature, extra] = value?.split(".") ?? [];
      if (!payload || !signature || extra !== undefined) return undefined;
      const given = Buffer.from(signature, "base64url");
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const { name, expires } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { name?: unknown; expires?: unknown };
        if (typeof name !== "string" || typeof expires !== "number" || expires <= now() || !names.has(name)) return undefined;
        return name;
      } catch {
        return undefined;
      }
    },
  };
}
export type SessionCodec = ReturnType<typeof createSessionCodec>;

/** Whether the browser reached us over HTTPS, directly or (with TRUST_PROXY) through a proxy that says so. */
export function overHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

export function setSessionCookie(c: Context, value: string, { secure }: { secure: boolean }): void {
  setCookie(c, SESSION_COOKIE, value, { path: "/", httpOnly: true, sameSite: "Strict", secure, maxAge: SESSION_MAX_AGE_SECONDS });
}

export function clearSessionCookie(c: Context, { secure }: { secure: boolean }): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict", secure });
}

/** Sec-Fetch-Site values of requests this origin's own pages make, or a person typed: anything else another site started. */
const OWN_REQUESTS = new Set(["same-origin", "none"]);

/**
 * Reads the session cookie and, when it is good, puts the staff name on the context as `session`. A request
 * another site started (Sec-Fetch-Site cross-site, or same-site from a sibling host) never counts as signed in,
 * whatever SameSite let through; a client that sends no Sec-Fetch-Site is judged by the cookie alone.
 */
export function staffSession(codec: SessionCodec | undefined): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    c.set("sessions", codec !== undefined);
    const site = c.req.header("sec-fetch-site");
    if (codec && (site === undefined || OWN_REQUESTS.has(site))) {
      const name = codec.verify(getCookie(c, SESSION_COOKIE));
      if (name !== undefined) c.set("session", name);
    }
    await next();
  };
}
