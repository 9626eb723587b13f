import { describe, expect, it } from "vitest";
import { json, testApp } from "./__fixtures__/test-app.js";

describe("CORS", () => {
  it("is off unless CORS_ORIGIN is set, and then allows only the listed origins", async () => {
    const preflight = { method: "OPTIONS", headers: { origin: "https://hotline.example", "access-control-request-method": "POST" } };
    const off = testApp();
    expect((await off.app.request("/api/ask", preflight)).headers.get("access-control-allow-origin")).toBeNull();
    const on = testApp({ corsOrigin: "https://hotline.example, https://other.example" });
    expect((await on.app.request("/api/ask", preflight)).headers.get("access-control-allow-origin")).toBe("https://hotline.example");
    const stranger = await on.app.request("/api/ask", { ...preflight, headers: { ...preflight.headers, origin: "https://evil.example" } });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("OpenAPI", () => {
  it("is generated from the schemas and describes every route the app serves", async () => {
    const { app } = testApp();
    const spec = await (await app.request("/api/openapi.json")).json();
    const served = app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`)
      .sort();
    const described = Object.entries(spec.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(served.filter((route) => !described.includes(route))).toEqual([]);
    expect(served).toContain("get /api/ask/stream");
    expect(served).toContain("get /api/examples");
    const answer = spec.components.schemas.Answer.properties;
    for (const field of ["mode", "draftRejected", "promptVersion", "body", "notices", "confidence", "refusalReason", "suggestions", "stored"])
      expect(answer).toHaveProperty(field);
    expect(spec.components.schemas.AskRequest.properties).toHaveProperty("channel");
    expect(spec.components.schemas.AskRequest.properties.question.maxLength).toBe(2000);
  });

  it("validates with the same schemas: a 400 names the field", async () => {
    const { app } = testApp();
    const long = await app.request("/api/ask", json({ question: "检".repeat(2001) }));
    expect(long.status).toBe(400);
    expect((await long.json()).error).toMatch(/question: .*2000/);
    const broken = await app.request("/api/ask", { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    expect(await broken.json()).toEqual({ error: "body: must be JSON", field: "body" });
  });
});
