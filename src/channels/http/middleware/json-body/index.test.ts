import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireJsonBody } from "./index.js";

describe("requireJsonBody", () => {
  const app = new Hono();
  app.use("*", requireJsonBody());
  app.post("/", (c) => c.text("ok"));
  app.get("/", (c) => c.text("ok"));

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])(
    "refuses a write sent as %s (what a cross-site form can send without a preflight)",
    async (type) => {
      const response = await app.request("/", { method: "POST", headers: type ? { "content-type": type } : {}, body: "{}" });
      expect(response.status).toBe(415);
    },
  );

  it("accepts JSON writes and leaves reads alone", async () => {
    expect((await app.request("/", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: "{}" })).status).toBe(200);
    expect((await app.request("/")).status).toBe(200);
  });
});
