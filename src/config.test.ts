import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("the configuration check at start", () => {
  it("refuses the example's ADMIN_TOKEN=change-me, alone or as a named token, naming the variable", () => {
    expect(() => loadConfig({ ADMIN_TOKEN: "change-me" })).toThrow(/ADMIN_TOKEN: still the example's change-me/);
    expect(() => loadConfig({ ADMIN_TOKEN: "zhang:s3cret-token, li:change-me" })).toThrow(/ADMIN_TOKEN: still the example's change-me/);
    expect(loadConfig({ ADMIN_TOKEN: "zhang:s3cret-token" }).http.adminToken).toBe("zhang:s3cret-token");
  });
});

describe("loadConfig", () => {
  it("refuses TRUST_PROXY without ADMIN_TOKEN, in Chinese: a forwarded 127.0.0.1 would otherwise count as staff", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY.*ADMIN_TOKEN.*X-Forwarded-For/);
    expect(() => loadConfig({ TRUST_PROXY: "1", ADMIN_TOKEN: " " })).toThrow(/请设置 ADMIN_TOKEN/);
    expect(loadConfig({ TRUST_PROXY: "true", ADMIN_TOKEN: "staff-secret" }).http.trustProxy).toBe(true);
    expect(loadConfig({}).http.trustProxy).toBe(false);
  });

  it("reads SLACK_STAFF_USERS as a list of user ids, empty when unset", () => {
    expect(loadConfig({ SLACK_STAFF_USERS: "U1, U2，U3," }).slack.staffUsers).toEqual(["U1", "U2", "U3"]);
    expect(loadConfig({}).slack.staffUsers).toEqual([]);
  });

  it("reads OCR_ENGINE: PaddleOCR unless set (or set empty), tesseract when asked, anything else refused", () => {
    expect(loadConfig({}).uploads.ocrEngine).toBe("paddle");
    expect(loadConfig({ OCR_ENGINE: "" }).uploads.ocrEngine).toBe("paddle");
    expect(loadConfig({ OCR_ENGINE: "tesseract" }).uploads.ocrEngine).toBe("tesseract");
    expect(() => loadConfig({ OCR_ENGINE: "easyocr" })).toThrow(/OCR_ENGINE/);
  });
});

describe("an empty setting", () => {
  it("counts as unset, so a model name falls back to its provider's default", () => {
    const config = loadConfig({ LLM_PROVIDER: "ollama", EMBEDDINGS: "", EMBEDDINGS_PROVIDER: "", CHAT_MODEL: "", ANSWERS: "" });
    expect(config.answers).toBe("llm");
    expect(JSON.stringify(config)).toContain("qwen2.5:7b");
  });
});
