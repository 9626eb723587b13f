import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";

describe("logs", () => {
  it("never carry an ID card or phone number, in the message or in a field", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink as never);
    logger.info({ question: "身份证65010219900307123X" }, "asked from 13812345678");
    expect(lines.join("")).toContain("[身份证号]");
    expect(lines.join("")).not.toMatch(/65010219900307123X|13812345678/);
  });
});
