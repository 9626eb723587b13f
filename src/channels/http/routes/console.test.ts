import { describe, expect, it } from "vitest";
import { testApp } from "../__fixtures__/test-app.js";
import { loadConsoleHtml } from "./console.js";

describe("GET /", () => {
  it("serves the console with a nonce-only script policy and no framing", async () => {
    const { app } = testApp({ consoleHtml: loadConsoleHtml() });
    const response = await app.request("/");
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const html = await response.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('maxlength="2000"');
  });
});
