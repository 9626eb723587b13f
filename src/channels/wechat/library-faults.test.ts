import { EventEmitter } from "node:events";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { containLibraryFaults } from "./library-faults.js";

function setUp() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const target = new EventEmitter();
  const exits: number[] = [];
  // What wechat4u does when it loads: print everything, swallow everything.
  const printed: unknown[] = [];
  const libraryHandler = (error: unknown) => printed.push(error);
  target.on("uncaughtException", libraryHandler);
  const release = containLibraryFaults({ logger, target, exit: (code) => exits.push(code) });
  return { lines, target, exits, printed, libraryHandler, release };
}

const thrownIn = (frame: string, message: string) => {
  const error = new TypeError(message);
  error.stack = `TypeError: ${message}\n    at Wechat.<anonymous> (${frame})`;
  return error;
};

describe("containing the WeChat libraries' uncaught errors", () => {
  it("replaces the handlers they install, before and after, and logs their own errors as one line a run", async () => {
    const { lines, target, exits, printed, libraryHandler } = setUp();
    const lateHandler = (error: unknown) => printed.push(error);
    target.on("uncaughtException", lateHandler);
    await Promise.resolve();
    expect(target.listeners("uncaughtException")).not.toContain(libraryHandler);
    expect(target.listeners("uncaughtException")).not.toContain(lateHandler);
    expect(target.listenerCount("uncaughtException")).toBe(1);

    const fault = thrownIn("/app/node_modules/wechaty-puppet-wechat4u/src/puppet-wechat4u.ts:365:21", "Cannot read properties of undefined (reading 'start')");
    for (let i = 0; i < 5; i++) target.emit("uncaughtException", fault);
    target.emit("uncaughtException", thrownIn("/app/node_modules/wechat4u/lib/core.js:10:3", "socket hang up"));
    expect(printed).toEqual([]);
    expect(exits).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual([
      "WeChat error: Cannot read properties of undefined (reading 'start')",
      "WeChat: the previous error repeated 4 more times",
      "WeChat error: socket hang up",
    ]);
  });

  it("ends the process on an uncaught error of ours, logged", () => {
    const { lines, target, exits } = setUp();
    target.emit("uncaughtException", thrownIn("/app/src/channels/wechat/wechat-bot.ts:40:7", "our bug"));
    expect(exits).toEqual([1]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 60, msg: "uncaught error; stopping" }));
  });

  it("gives the process back when released", () => {
    const { target, release } = setUp();
    release();
    expect(target.listenerCount("uncaughtException")).toBe(0);
    expect(target.listenerCount("newListener")).toBe(0);
  });
});
