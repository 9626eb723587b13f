import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("the configuration check at start", () => {
  it("refuses the example's ADMIN_TOKEN=change-me, alone or as a named token, naming the variable", () => {
    expect(() => loadConfig({ ADMIN_TOKEN: "change-me" })).toThrow(/ADMIN_TOKEN: still the example's change-me/);
    expect(() => loadConfig({ ADMIN_TOKEN: "zhang:s3cret-token, li:change-me" })).toThrow(/ADMIN_TOKEN: still the example's change-me/);
    expect(loadConfig({ ADMIN_TOKEN: "zhang:s3cret-token" }).http.adminToken).toBe("zhang:s3cret-token");
  });
});
