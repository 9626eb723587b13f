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

  it("keep a number's decimal places: a score's long fraction is no bank card, and the line stays JSON", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink as never);
    // Seventeen digits after the point, as a computed score has them.
    const share = 0.7 * 0.7;
    logger.info({ share, question: "卡号6222020200112233445" }, "answerability");
    expect(lines.join("")).toContain(`"share":${share}`);
    const line = JSON.parse(lines.join(""));
    expect(line.share).toBe(share);
    expect(line.question).toBe("卡号[银行卡号]");
  });
});
