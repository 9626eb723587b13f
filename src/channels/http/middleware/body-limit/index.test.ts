import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBody } from "./index.js";

describe("limitBody", () => {
  it("refuses a body over the limit with 413 naming it, and passes one under it", async () => {
    const app = new Hono();
    app.use("*", limitBody(16 * 1024));
    app.post("/", async (c) => c.text(String((await c.req.text()).length)));
    const big = await app.request("/", { method: "POST", body: "x".repeat(16 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "body: request body is larger than 16 KB", field: "body" });
    expect(await (await app.request("/", { method: "POST", body: "x".repeat(100) })).text()).toBe("100");
  });
});
