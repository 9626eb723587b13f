import { describe, expect, it } from "vitest";
import { fakeAnswer, from, json, type TestApp, testAppWithLibrary } from "../__fixtures__/test-app.js";

async function storedAnswer(app: TestApp["app"]) {
  return (await (await app.request("/api/ask", json({ question: "问" }))).json()).answerId as string;
}

describe("POST /api/feedback", () => {
  it("keeps one rating per answer per client; a second gets 409, another client's is kept", async () => {
    const { app } = await testAppWithLibrary();
    const answerId = await storedAnswer(app);
    expect((await app.request("/api/feedback", json({ answerId, rating: "down" }), from("203.0.113.5"))).status).toBe(200);
    expect((await app.request("/api/feedback", json({ answerId, rating: "up" }), from("203.0.113.5"))).status).toBe(409);
    expect((await app.request("/api/feedback", json({ answerId, rating: "up" }), from("203.0.113.6"))).status).toBe(200);
    expect((await app.request("/api/feedback", json({ answerId: "nope", rating: "up" }), from("203.0.113.5"))).status).toBe(404);
    // The rating up from someone else did not take the answer off the staff list.
    const { items } = await (await app.request("/api/library/unanswered", {}, from("127.0.0.1"))).json();
    expect(items.map((i: { answerId: string }) => i.answerId)).toEqual([answerId]);
  });

  it("lets staff change a rating (an edit), and nobody else", async () => {
    const { app } = await testAppWithLibrary({ adminToken: "admin" });
    const answerId = await storedAnswer(app);
    const staff = { authorization: "Bearer admin" };
    expect((await app.request("/api/feedback", json({ answerId, rating: "down" }, staff), from("10.1.1.1"))).status).toBe(200);
    expect((await app.request("/api/feedback", json({ answerId, rating: "up" }, staff), from("10.1.1.1"))).status).toBe(200);
    const { items } = await (await app.request("/api/library/unanswered", { headers: staff })).json();
    expect(items).toEqual([]);
  });
});

describe("GET /api/library/unanswered, the one list of unanswered questions", () => {
  it("is for staff only: masked questions, and 401 without the ADMIN_TOKEN (the API token is not enough)", async () => {
    const { app } = await testAppWithLibrary({
      apiToken: "api",
      adminToken: "admin",
      answer: async () => fakeAnswer({ outcome: "refused", refused: true, confidence: "refuse" }),
    });
    await app.request("/api/ask", json({ question: "我的手机13812345678，能退税吗" }, { authorization: "Bearer api" }));
    expect((await app.request("/api/library/unanswered", { headers: { authorization: "Bearer api" } }, from("127.0.0.1"))).status).toBe(401);
    const staff = await app.request("/api/library/unanswered", { headers: { authorization: "Bearer admin" } }, from("203.0.113.5"));
    expect(staff.status).toBe(200);
    expect((await staff.json()).items[0].question).toBe("我的手机[手机号]，能退税吗");
  });

  it("without ADMIN_TOKEN, is open to this machine only", async () => {
    const { app } = await testAppWithLibrary();
    expect((await app.request("/api/library/unanswered", {}, from("203.0.113.5"))).status).toBe(403);
    expect((await app.request("/api/library/unanswered", {}, from("127.0.0.1"))).status).toBe(200);
  });

  it("has no second route beside it, served or described", async () => {
    const { app } = await testAppWithLibrary();
    expect((await app.request("/api/unanswered", {}, from("127.0.0.1"))).status).toBe(404);
    const spec = await (await app.request("/api/openapi.json")).json();
    expect(Object.keys(spec.paths).filter((path) => path.endsWith("/unanswered"))).toEqual(["/api/library/unanswered"]);
  });
});
