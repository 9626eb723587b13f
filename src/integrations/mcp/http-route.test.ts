import { describe, expect, it } from "vitest";
import { from, json, testApp } from "../../channels/http/__fixtures__/test-app.js";

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
};
const ACCEPT = { accept: "application/json, text/event-stream" };

describe("/mcp is never open to everyone", () => {
  it("without any token set, answers this machine and refuses other clients", async () => {
    const { app } = testApp();
    const local = await app.request("/mcp", json(initialize, ACCEPT), from("127.0.0.1"));
    expect(local.status).toBe(200);
    expect((await local.json()).result.serverInfo.name).toBe("relief-policy-bot");
    const remote = await app.request("/mcp", json(initialize, ACCEPT), from("203.0.113.9"));
    expect(remote.status).toBe(403);
  });

  it("with only ADMIN_TOKEN set, takes it from anywhere and nothing else", async () => {
    const { app } = testApp({ adminToken: "staff-secret" });
    expect((await app.request("/mcp", json(initialize, { ...ACCEPT, authorization: "Bearer staff-secret" }), from("203.0.113.9"))).status).toBe(200);
    expect((await app.request("/mcp", json(initialize, ACCEPT), from("127.0.0.1"))).status).toBe(401);
  });

  it("answers a body that is not JSON with a JSON-RPC parse error, and a body too large with 413", async () => {
    const { app } = testApp();
    const broken = await app.request(
      "/mcp",
      { method: "POST", headers: { "content-type": "application/json", ...ACCEPT }, body: "{not json" },
      from("127.0.0.1"),
    );
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe(-32700);
    const huge = await app.request("/mcp", json({ ...initialize, padding: "字".repeat(40_000) }, ACCEPT), from("127.0.0.1"));
    expect(huge.status).toBe(413);
  });
});
