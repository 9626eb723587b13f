import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { HttpEnv } from "../../env.js";
import { clientAddress } from "./index.js";

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

function echo(trustProxy: boolean) {
  const app = new Hono<HttpEnv>();
  app.use("*", clientAddress({ trustProxy }));
  app.get("/", (c) => c.json({ client: c.get("client"), local: c.get("local") }));
  return app;
}

describe("clientAddress", () => {
  it("uses the socket address and ignores X-Forwarded-For unless TRUST_PROXY", async () => {
    const response = await echo(false).request("/", { headers: { "x-forwarded-for": "198.51.100.7" } }, from("203.0.113.5"));
    expect(await response.json()).toEqual({ client: "203.0.113.5", local: false });
  });

  it("with TRUST_PROXY takes the hop the proxy added (the last), not what the caller claimed", async () => {
    const response = await echo(true).request("/", { headers: { "x-forwarded-for": "127.0.0.1, 198.51.100.7" } }, from("127.0.0.1"));
    expect(await response.json()).toEqual({ client: "198.51.100.7", local: false });
  });
});
