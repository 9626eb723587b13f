import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { createRateLimiter } from "../../../../cluster/fixed-window.js";
import { parseStaffTokens, type StaffToken } from "../../../../config.js";
import type { HttpEnv } from "../../env.js";

/** Compares in time that depends on neither token: both are hashed to the same length first. */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Bearer <token>`, or `X-API-Token` for tools that cannot set Authorization. */
export function bearerToken(c: Context): string | undefined {
  const authorization = c.req.header("authorization");
  if (authorization) return authorization.replace(/^Bearer\s+/i, "");
  return c.req.header("x-api-token");
}

/** Wrong tokens a client may send per window before every token it sends is refused for the rest of it. */
export const WRONG_TOKENS_PER_MINUTE = 10;

/** Counts wrong tokens per client; shared by every guard so guessing one token does not buy tries at another. */
export function createWrongTokenLimiter({ perMinute = WRONG_TOKENS_PER_MINUTE, now = Date.now }: { perMinute?: number; now?: () => number } = {}) {
  const allow = createRateLimiter(perMinute, 60_000, now);
  const lockedUntil = new Map<string, number>();
  return {
    /** Seconds the client must wait, or 0. */
    lockedFor(client: string): number {
      const until = lockedUntil.get(client);
      if (until === undefined) return 0;
      if (until <= now()) {
        lockedUntil.delete(client);
        return 0;
      }
      return Math.ceil((until - now()) / 1000);
    },
    /** Records a wrong token; returns the seconds to wait when that was one too many. */
    fail(client: string): number {
      const verdict = allow(client);
      if (verdict.ok) return 0;
      // Bounded like the limiter: a lock only exists for a client the limiter just counted.
      if (lockedUntil.size >= 10_000) lockedUntil.delete(lockedUntil.keys().next().value as string);
      lockedUntil.set(client, now() + verdict.retryAfterSeconds * 1000);
      return verdict.retryAfterSeconds;
    },
  };
}
export type WrongTokenLimiter = ReturnType<typeof createWrongTokenLimiter>;

function tooManyWrongTokens(c: Context, seconds: number) {
  c.header("Retry-After", String(seconds));
  return c.json({ error: `too many wrong tokens; try again in ${seconds} s`, retryAfterSeconds: seconds }, 429);
}

/** Refuses the request with `refuse` unless `accepts` approves it; a token sent and refused counts as wrong. */
function tokenGuard(
  wrongTokens: WrongTokenLimiter,
  accepts: (c: Context<HttpEnv>) => boolean,
  refuse: (c: Context<HttpEnv>) => Response,
  checksToken = true,
): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const client = c.get("client") ?? "unknown";
    const locked = wrongTokens.lockedFor(client);
    if (locked > 0) return tooManyWrongTokens(c, locked);
    if (accepts(c)) return next();
    if (checksToken && bearerToken(c) !== undefined) {
      const wait = wrongTokens.fail(client);
      if (wait > 0) return tooManyWrongTokens(c, wait);
    }
    return refuse(c);
  };
}

export interface ApiTokenOptions {
  apiToken?: string;
  /** The staff token opens everything the API token opens. */
  adminToken?: string;
  wrongTokens: WrongTokenLimiter;
}

/** With API_TOKEN set, every call needs it (or the staff token) as a Bearer token; without, calls pass. */
export function requireApiToken({ apiToken, adminToken, wrongTokens }: ApiTokenOptions): MiddlewareHandler<HttpEnv> {
  if (!apiToken) return async (_c, next) => next();
  return tokenGuard(
    wrongTokens,
    (c) => {
      const given = bearerToken(c);
      // Both compared every time, so the answer's timing does not tell which token was close.
      const api = tokensMatch(given, apiToken);
      const admin = matchingStaffToken(given, staffTokens(adminToken)) !== undefined;
      return api || admin;
    },
    (c) => c.json({ error: "missing or wrong API token: send Authorization: Bearer <API_TOKEN>" }, 401),
  );
}

export interface StaffOptions {
  adminToken?: string;
  wrongTokens: WrongTokenLimiter;
}

const parsedTokens = new Map<string, StaffToken[]>();
/** ADMIN_TOKEN's tokens, parsed once per setting (config.ts has already refused a malformed one). */
function staffTokens(adminToken: string | undefined): StaffToken[] {
  if (!adminToken) return [];
  const tokens = parsedTokens.get(adminToken) ?? parseStaffTokens(adminToken);
  parsedTokens.set(adminToken, tokens);
  return tokens;
}

/** The name of the token given; every token is compared, so the timing does not tell which one was close. */
function matchingStaffToken(given: string | undefined, tokens: StaffToken[]): string | undefined {
  let name: string | undefined;
  for (const token of tokens) if (tokensMatch(given, token.token)) name ??= token.name;
  return name;
}

/**
 * Who this staff request comes from: the name of the ADMIN_TOKEN it carries ("admin" for a single unnamed
 * token), or, with no ADMIN_TOKEN set, "loopback" for a client on this machine; undefined when not staff.
 */
export function staffActor(c: Context<HttpEnv>, adminToken: string | undefined): string | undefined {
  if (!adminToken) return c.get("local") === true ? "loopback" : undefined;
  return matchingStaffToken(bearerToken(c), staffTokens(adminToken));
}

/** Whether this request comes from staff: an ADMIN_TOKEN as Bearer, or, with no ADMIN_TOKEN set, a loopback client. */
export function isStaff(c: Context<HttpEnv>, adminToken: string | undefined): boolean {
  return staffActor(c, adminToken) !== undefined;
}

/**
 * Staff views and edits: `Authorization: Bearer <ADMIN_TOKEN>`, or, when ADMIN_TOKEN is unset, a request
 * from this machine. Needs the `clientAddress` middleware before it. For the question library and document
 * routes too: who it was is on the context as `c.get("staff")`, for the audit log.
 */
export function requireStaff({ adminToken, wrongTokens }: StaffOptions): MiddlewareHandler<HttpEnv> {
  return tokenGuard(
    wrongTokens,
    (c) => {
      const actor = staffActor(c, adminToken);
      if (actor !== undefined) c.set("staff", actor);
      return actor !== undefined;
    },
    (c) =>
      adminToken
        ? c.json({ error: "staff only: send Authorization: Bearer <ADMIN_TOKEN>" }, 401)
        : c.json({ error: "staff only: set ADMIN_TOKEN to allow staff from other machines, or use the console on this machine" }, 403),
    adminToken !== undefined,
  );
}
