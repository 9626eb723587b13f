import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { consumeOne, secondsUntil } from "../../../../cluster/rate-limiter.js";
import { parseStaffTokens, type StaffToken } from "../../../../config.js";
import type { HttpEnv } from "../../env.js";
import { refuse } from "./refusal.js";

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

/**
 * Counts wrong tokens per client; shared by every guard so guessing one token does not buy tries at another. The
 * count (rate-limiter-flexible, in memory) runs for the minute that began with the client's first wrong token,
 * and is forgotten when that minute ends, so memory holds only the clients that guessed in the last minute.
 */
export function createWrongTokenLimiter({ perMinute = WRONG_TOKENS_PER_MINUTE }: { perMinute?: number } = {}) {
  const wrong = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    /** Seconds the client must wait, or 0: past its wrong tokens, every token it sends is refused for the rest of the minute. */
    async lockedFor(client: string): Promise<number> {
      const count = await wrong.get(client);
      if (!count || count.consumedPoints <= perMinute || count.msBeforeNext <= 0) return 0;
      return secondsUntil(count.msBeforeNext);
    },
    /** Records a wrong token; returns the seconds to wait when that was one too many. */
    async fail(client: string): Promise<number> {
      const verdict = await consumeOne(wrong, client);
      return verdict.ok ? 0 : verdict.retryAfterSeconds;
    },
  };
}
export type WrongTokenLimiter = ReturnType<typeof createWrongTokenLimiter>;

export function tooManyWrongTokens(c: Context, seconds: number) {
  c.header("Retry-After", String(seconds));
  return refuse(c, { status: 429, code: "TOO_MANY_WRONG_TOKENS", message: `口令错误次数过多，请${seconds}秒后再试。`, retryAfterSeconds: seconds });
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
    const locked = await wrongTokens.lockedFor(client);
    if (locked > 0) return tooManyWrongTokens(c, locked);
    if (accepts(c)) return next();
    if (checksToken && bearerToken(c) !== undefined) {
      const wait = await wrongTokens.fail(client);
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

/** With API_TOKEN set, every call needs it (or the staff token, or a staff session) as a Bearer token; without, calls pass. */
export function requireApiToken({ apiToken, adminToken, wrongTokens }: ApiTokenOptions): MiddlewareHandler<HttpEnv> {
  if (!apiToken) return async (_c, next) => next();
  return tokenGuard(
    wrongTokens,
    (c) => {
      const given = bearerToken(c);
      // Both compared every time, so the answer's timing does not tell which token was close.
      const api = tokensMatch(given, apiToken);
      const admin = matchingStaffToken(given, staffTokens(adminToken)) !== undefined;
      return api || admin || c.get("session") !== undefined;
    },
    (c) =>
      refuse(c, {
        status: 401,
        code: "API_TOKEN_REQUIRED",
        message: "需要 API 口令：请在请求头中提供 Authorization: Bearer <API_TOKEN>，或由工作人员登录后使用。",
      }),
  );
}

export const SIGN_IN_REQUIRED = {
  status: 401,
  code: "STAFF_SIGN_IN_REQUIRED",
  message: "仅限工作人员：请先登录（/staff/sign-in），或在请求头中提供 Authorization: Bearer <ADMIN_TOKEN>。",
} as const;
export const LOCAL_ONLY = {
  status: 403,
  code: "STAFF_LOCAL_ONLY",
  message: "仅限工作人员：未设置 ADMIN_TOKEN 时，工作人员功能只能在本机使用；要从其他机器使用，请设置 ADMIN_TOKEN 后登录。",
} as const;

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
 * token) or its signed-in session names, or, with no ADMIN_TOKEN set, "loopback" for a client on this
 * machine; undefined when not staff.
 */
export function staffActor(c: Context<HttpEnv>, adminToken: string | undefined): string | undefined {
  if (!adminToken) return c.get("local") === true ? "loopback" : undefined;
  const given = bearerToken(c);
  if (given !== undefined) return matchingStaffToken(given, staffTokens(adminToken));
  return c.get("session");
}

/** The ADMIN_TOKEN name `given` belongs to, for the sign-in form. */
export function staffTokenName(given: string, adminToken: string): string | undefined {
  return matchingStaffToken(given, staffTokens(adminToken));
}

/** Whether this request comes from staff: an ADMIN_TOKEN as Bearer or a staff session, or, with no ADMIN_TOKEN set, a loopback client. */
export function isStaff(c: Context<HttpEnv>, adminToken: string | undefined): boolean {
  return staffActor(c, adminToken) !== undefined;
}

/**
 * Staff views and edits: `Authorization: Bearer <ADMIN_TOKEN>` or a staff session cookie (/staff/sign-in), or,
 * when ADMIN_TOKEN is unset, a request from this machine. Needs the `clientAddress` and `staffSession` middleware before it. For the question library and document
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
    (c) => (adminToken ? refuse(c, SIGN_IN_REQUIRED) : refuse(c, LOCAL_ONLY)),
    adminToken !== undefined,
  );
}
