import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { HttpEnv } from "../../env.js";
import { clientAddress } from "../client-address/index.js";
import { createWrongTokenLimiter, requireApiToken, requireStaff, tokensMatch } from "./index.js";

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

afterEach(() => {
  vi.useRealTimers();
});

/** The wrong-token count runs on the system clock; only Date is faked, so requests still run on real timers. */
function guarded(options: { apiToken?: string; adminToken?: string }) {
  vi.useFakeTimers({ toFake: ["Date"], now: 0 });
  const wrongTokens = createWrongTokenLimiter();
  const app = new Hono<HttpEnv>();
  app.use("*", clientAddress());
  app.use("/api/*", requireApiToken({ ...options, wrongTokens }));
  app.use("/api/staff/*", requireStaff({ adminToken: options.adminToken, wrongTokens }));
  app.get("/api/open", (c) => c.text("ok"));
  app.get("/api/staff/list", (c) => c.text("staff"));
  return { app, advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

describe("tokensMatch", () => {
  it("matches only the same token, whatever the lengths", () => {
    expect(tokensMatch("s3cret", "s3cret")).toBe(true);
    expect(tokensMatch("s3cre", "s3cret")).toBe(false);
    expect(tokensMatch("s3cretX", "s3cret")).toBe(false);
    expect(tokensMatch(undefined, "s3cret")).toBe(false);
  });
});

describe("requireApiToken", () => {
  it("lets every call through when API_TOKEN is unset", async () => {
    const { app } = guarded({});
    expect((await app.request("/api/open")).status).toBe(200);
  });

  it("needs the API token or the staff token as a Bearer token, without echoing it", async () => {
    const { app } = guarded({ apiToken: "api", adminToken: "admin" });
    const without = await app.request("/api/open");
    expect(without.status).toBe(401);
    expect(await without.text()).not.toContain('api"');
    expect((await app.request("/api/open", bearer("api"))).status).toBe(200);
    expect((await app.request("/api/open", bearer("admin"))).status).toBe(200);
    expect((await app.request("/api/open", { headers: { "x-api-token": "api" } })).status).toBe(200);
  });

  it("after 10 wrong tokens in a minute refuses every token from that client, the right one too, with Retry-After", async () => {
    const { app, advance } = guarded({ apiToken: "api" });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await app.request("/api/open", bearer(`guess-${i}`), from("10.0.0.9"))).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const locked = await app.request("/api/open", bearer("api"), from("10.0.0.9"));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await app.request("/api/open", bearer("api"), from("10.0.0.10"))).status).toBe(200);
    advance(60_000);
    expect((await app.request("/api/open", bearer("api"), from("10.0.0.9"))).status).toBe(200);
  });
});

describe("requireStaff", () => {
  it("with ADMIN_TOKEN set, needs it: the API token is not enough, and loopback is not either", async () => {
    const { app } = guarded({ apiToken: "api", adminToken: "admin" });
    expect((await app.request("/api/staff/list", bearer("api"), from("127.0.0.1"))).status).toBe(401);
    expect((await app.request("/api/staff/list", bearer("admin"), from("203.0.113.5"))).status).toBe(200);
  });

  it("without ADMIN_TOKEN, answers only this machine, and not a request a proxy forwarded", async () => {
    const { app } = guarded({});
    expect((await app.request("/api/staff/list", {}, from("127.0.0.1"))).status).toBe(200);
    expect((await app.request("/api/staff/list", {}, from("::1"))).status).toBe(200);
    const remote = await app.request("/api/staff/list", {}, from("203.0.113.5"));
    expect(remote.status).toBe(403);
    expect((await remote.json()).error).toMatchObject({ code: "STAFF_LOCAL_ONLY", message: expect.stringMatching(/ADMIN_TOKEN/) });
    expect((await app.request("/api/staff/list", { headers: { "x-forwarded-for": "203.0.113.5" } }, from("127.0.0.1"))).status).toBe(403);
  });
});

describe("named staff tokens", () => {
  function named(adminToken: string) {
    const wrongTokens = createWrongTokenLimiter();
    const app = new Hono<HttpEnv>();
    app.use("*", clientAddress());
    app.use("/api/*", requireApiToken({ apiToken: "api", adminToken, wrongTokens }));
    app.use("/api/staff/*", requireStaff({ adminToken, wrongTokens }));
    app.get("/api/staff/who", (c) => c.text(c.get("staff")));
    return app;
  }

  it("puts the token's name on the context: each named token, a plain token as admin, loopback without a token", async () => {
    const app = named("zhang:tok-z,li:tok-l");
    expect(await (await app.request("/api/staff/who", bearer("tok-z"), from("203.0.113.5"))).text()).toBe("zhang");
    expect(await (await app.request("/api/staff/who", bearer("tok-l"), from("203.0.113.5"))).text()).toBe("li");
    expect((await app.request("/api/staff/who", bearer("zhang:tok-z,li:tok-l"), from("203.0.113.5"))).status).toBe(401);
    expect((await app.request("/api/staff/who", bearer("api"), from("127.0.0.1"))).status).toBe(401);
    expect(await (await named("plain").request("/api/staff/who", bearer("plain"), from("203.0.113.5"))).text()).toBe("admin");
    const open = new Hono<HttpEnv>();
    open.use("*", clientAddress());
    open.use("*", requireStaff({ wrongTokens: createWrongTokenLimiter() }));
    open.get("/who", (c) => c.text(c.get("staff")));
    expect(await (await open.request("/who", {}, from("127.0.0.1"))).text()).toBe("loopback");
  });

  it("refuses a malformed ADMIN_TOKEN at start, naming the problem", async () => {
    const { loadConfig } = await import("../../../../config.js");
    expect(() => loadConfig({ ADMIN_TOKEN: "zhang:a,zhang:b" })).toThrow(/ADMIN_TOKEN: two tokens have the same name/);
    expect(() => loadConfig({ ADMIN_TOKEN: "zhang:,li:b" })).toThrow(/ADMIN_TOKEN: each named token must be name:token/);
    expect(loadConfig({ ADMIN_TOKEN: "zhang:a, li:b" }).http.adminToken).toBe("zhang:a, li:b");
  });
});
