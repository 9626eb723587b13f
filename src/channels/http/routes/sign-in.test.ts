import { describe, expect, it } from "vitest";
import { from, testApp, testAppWithLibrary } from "../__fixtures__/test-app.js";
import { safeNext } from "./sign-in.js";

const ADMIN = "zhang:tok-zhang-1,li:tok-li-2";
const browser = { accept: "text/html,application/xhtml+xml" };

async function staffApp(options: { apiToken?: string; adminToken?: string } = {}) {
  const clock = { now: Date.parse("2026-11-27T02:00:00Z") };
  const { app } = await testAppWithLibrary({ adminToken: ADMIN, now: () => clock.now, ...options });
  const form = (fields: Record<string, string>, url = "http://hotline.example/staff/sign-in") =>
    app.request(
      url,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...browser }, body: new URLSearchParams(fields).toString() },
      from("203.0.113.7"),
    );
  const signIn = async (token = "tok-zhang-1", next = "/staff/conversations") => {
    const response = await form({ token, next });
    const cookie = response.headers.get("set-cookie") ?? "";
    return { response, cookie, session: cookie.split(";")[0] };
  };
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://hotline.example${path}`, { headers }, from("203.0.113.7"));
  return { app, clock, form, signIn, get };
}

describe("staff sign-in", () => {
  it("serves a Chinese sign-in page under the pages' CSP, with a password field and nothing secret", async () => {
    const { get } = await staffApp();
    const page = await get("/staff/sign-in?next=/staff/review", browser);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain("工作人员登录");
    expect(html).toContain('type="password"');
    expect(html).toContain('value="/staff/review"');
    expect(html).not.toContain("tok-zhang-1");
  });

  it("turns the right token into an HttpOnly, SameSite=Strict, expiring session cookie that holds no token, and sends the browser on", async () => {
    const { signIn, get } = await staffApp();
    const { response, cookie, session } = await signIn();
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/staff/conversations");
    expect(cookie).toMatch(/^staff_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).not.toMatch(/Secure/i);
    expect(decodeURIComponent(cookie)).not.toContain("tok-zhang-1");
    // Signed in: the staff API answers, and the header says who.
    expect((await get("/api/library/unanswered", { cookie: session })).status).toBe(200);
    expect(await (await get("/staff/sign-in", { ...browser, cookie: session })).text()).toContain("已登录：zhang");
  });

  it("marks the cookie Secure over HTTPS", async () => {
    const { form } = await staffApp();
    const response = await form({ token: "tok-li-2", next: "/" }, "https://hotline.example/staff/sign-in");
    expect(response.headers.get("set-cookie")).toMatch(/; Secure/i);
  });

  it("refuses a wrong token with the page again, in Chinese, and no cookie; ten wrong tries lock the client out", async () => {
    const { form } = await staffApp();
    const wrong = await form({ token: "guess", next: "/staff/review" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const html = await wrong.text();
    expect(html).toContain("口令不正确");
    expect(html).toContain('value="/staff/review"');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await form({ token: `guess-${i}` })).status);
    expect(statuses.at(-1)).toBe(429);
    const locked = await form({ token: "tok-zhang-1" });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toMatch(/请\d+秒后再试/);
  });

  it("ends a session at sign-out, after eight hours, when forged, or when ADMIN_TOKEN changes", async () => {
    const { app, clock, signIn, get } = await staffApp();
    const { session } = await signIn();
    const out = await app.request("http://hotline.example/staff/sign-out", { method: "POST", headers: { cookie: session } });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/staff/sign-in?signed-out");
    expect(out.headers.get("set-cookie")).toMatch(/staff_session=;.*Max-Age=0/);
    expect(await (await get("/staff/sign-in?signed-out", browser)).text()).toContain("已退出登录");

    clock.now += 8 * 60 * 60 * 1000 + 1000;
    expect((await get("/api/library/unanswered", { cookie: session })).status).toBe(401);

    const fresh = (await signIn()).session;
    const [payload, signature] = fresh.slice("staff_session=".length).split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, name: "li" })).toString("base64url");
    expect((await get("/api/library/unanswered", { cookie: `staff_session=${forged}.${signature}` })).status).toBe(401);
    expect((await get("/api/library/unanswered", { cookie: fresh })).status).toBe(200);
    // A cross-site request never counts as signed in, whatever the browser sent.
    expect((await get("/api/library/unanswered", { cookie: fresh, "sec-fetch-site": "cross-site" })).status).toBe(401);
    expect((await get("/api/library/unanswered", { cookie: fresh, "sec-fetch-site": "same-site" })).status).toBe(401);
    expect((await get("/api/library/unanswered", { cookie: fresh, "sec-fetch-site": "same-origin" })).status).toBe(200);
    const other = await staffApp({ adminToken: "zhang:another-token" });
    expect((await other.get("/api/library/unanswered", { cookie: fresh })).status).toBe(401);
  });

  it("keeps Bearer tokens working, and a session opens what the API token opens", async () => {
    const { signIn, get } = await staffApp({ apiToken: "api-token" });
    expect((await get("/api/library/unanswered", { authorization: "Bearer tok-li-2" })).status).toBe(200);
    expect((await get("/api/examples", { authorization: "Bearer api-token" })).status).toBe(200);
    expect((await get("/api/examples")).status).toBe(401);
    const { session } = await signIn();
    expect((await get("/api/examples", { cookie: session })).status).toBe(200);
  });

  it("signs in from a page address carrying ?token=, then drops the token from the address", async () => {
    const { get } = await staffApp();
    const response = await get("/staff/conversations?channel=web&token=tok-zhang-1", browser);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/staff/conversations?channel=web");
    expect(response.headers.get("set-cookie")).toMatch(/^staff_session=/);
  });

  it("sends on only to a path on this site", () => {
    expect(safeNext("/staff/library?question=x")).toBe("/staff/library?question=x");
    for (const next of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, "/staff/sign-in"])
      expect(safeNext(next)).toBe("/");
  });
});

describe("refusals people see", () => {
  it("a browser opening a staff page signed out gets a Chinese 401 page with the way to sign in; the API answers JSON in Chinese", async () => {
    const { get } = await staffApp();
    const page = await get("/staff/conversations?channel=web", browser);
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain("需要登录");
    expect(html).toContain('href="/staff/sign-in?next=%2Fstaff%2Fconversations%3Fchannel%3Dweb"');
    expect(html).not.toMatch(/staff only|Bearer <ADMIN_TOKEN>"/);
    const api = await get("/api/library/unanswered");
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { code: "STAFF_SIGN_IN_REQUIRED", message: expect.stringContaining("请先登录") } });
  });

  it("without ADMIN_TOKEN, another machine gets a Chinese 403 and this machine the page", async () => {
    const { app } = testApp();
    const remote = await app.request("/staff/conversations", { headers: browser }, from("203.0.113.7"));
    expect(remote.status).toBe(403);
    expect(await remote.text()).toContain("没有权限");
    const local = await app.request("/staff/conversations", { headers: browser }, from("127.0.0.1"));
    expect(local.status).toBe(200);
    expect(await local.text()).toContain("本机访问");
  });
});
