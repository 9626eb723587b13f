import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "../test/helpers.js";
import { logDestination } from "./log-destination.js";

function logThrough(isTTY: boolean): string {
  const path = join(temporaryDirectory(), "log.txt");
  const fd = openSync(path, "w");
  pino({ level: "info" }, logDestination({ isTTY }, fd)).warn("WeChat: cannot reach login.wx.qq.com");
  closeSync(fd);
  return readFileSync(path, "utf8");
}

describe("log destination", () => {
  it("writes readable lines to a terminal", () => {
    const line = logThrough(true);
    expect(line).toMatch(/WARN.*: WeChat: cannot reach login\.wx\.qq\.com\n$/);
    expect(line).not.toContain("{");
  });

  it("writes JSON lines when piped", () => {
    expect(JSON.parse(logThrough(false))).toMatchObject({ level: 40, msg: "WeChat: cannot reach login.wx.qq.com" });
  });
});
