import pino from "pino";
import { describe, expect, it } from "vitest";
import { WechatyBuilder } from "wechaty";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { temporaryDirectory } from "../../../test/helpers.js";
import { loadConfig } from "../../config.js";
import type { Runtime } from "../../core/runtime.js";
import { AppError } from "../../errors.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { unreachableHost } from "./connection.js";
import { startWechat } from "./start.js";

/** A puppet with no route to WeChat: it starts, then fails the way wechat4u does, many times a second. */
class UnreachablePuppet extends PuppetMock {
  starts = 0;
  override async onStart(): Promise<void> {
    await super.onStart();
    this.starts++;
    setImmediate(() => {
      for (let i = 0; i < 20; i++) this.emit("error", new Error("getaddrinfo ENOTFOUND login.wx.qq.com"));
    });
  }
}

/** As wechat4u does: stopped between tries, it also reports an error of its own undone state. */
class HalfStoppedPuppet extends UnreachablePuppet {
  override async onStop(): Promise<void> {
    await super.onStop();
    this.emit("error", new Error("Cannot read properties of undefined (reading 'start')"));
  }
}

/** A puppet that reaches WeChat (a QR code was scanned: nothing printed). */
class ReachablePuppet extends PuppetMock {
  starts = 0;
  override async onStart(): Promise<void> {
    await super.onStart();
    this.starts++;
    setImmediate(() => this.emit("scan", { qrcode: "https://login.weixin.qq.com/l/test", status: 3 }));
  }
}

function runtimeWithLog() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const config = loadConfig({ DOCUMENTS_DIR: temporaryDirectory(), DATABASE_PATH: ":memory:", WECHATY_PUPPET: "wechaty-puppet-wechat4u" });
  const runtime = { config, logger, knowledgeBase: { corpus: { documents: [] } }, ask: async () => Promise.reject(new Error("not asked")) };
  return { runtime: runtime as unknown as Runtime, lines };
}

describe("starting the WeChat bot", () => {
  it("with no route to WeChat: one line a try naming the host and puppet, bounded backoff, then an error", async () => {
    const { runtime, lines } = runtimeWithLog();
    const puppet = new HalfStoppedPuppet({ mocker: new mock.Mocker() });
    const waits: number[] = [];
    const started = startWechat(runtime, {
      bot: WechatyBuilder.build({ puppet }),
      store: openSqliteStore(":memory:"),
      connect: { attempts: 4, firstDelayMs: 1000, sleep: async (ms) => void waits.push(ms) },
    });
    const error = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CHANNEL_UNREACHABLE");
    expect((error as AppError).message).toContain("login.wx.qq.com");
    expect((error as AppError).message).toContain("wechaty-puppet-wechat4u");
    expect(puppet.starts).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
    // Eighty puppet errors and the stopped puppet's own, three retry lines: no flood, no stacks, no stray line.
    expect(lines.map((l) => l.msg)).toEqual([
      "WeChat: cannot reach login.wx.qq.com (ENOTFOUND) with puppet wechaty-puppet-wechat4u; trying again in 1 s (1/4)",
      "WeChat: cannot reach login.wx.qq.com (ENOTFOUND) with puppet wechaty-puppet-wechat4u; trying again in 2 s (2/4)",
      "WeChat: cannot reach login.wx.qq.com (ENOTFOUND) with puppet wechaty-puppet-wechat4u; trying again in 4 s (3/4)",
    ]);
  });

  it("returns once the puppet reached WeChat, and stops", async () => {
    const { runtime } = runtimeWithLog();
    const puppet = new ReachablePuppet({ mocker: new mock.Mocker() });
    const running = await startWechat(runtime, {
      bot: WechatyBuilder.build({ puppet }),
      store: openSqliteStore(":memory:"),
      connect: { attempts: 1, sleep: async () => {} },
    });
    expect(puppet.starts).toBe(1);
    expect(running.bot.isLoggedIn).toBe(false);
    await running.stop();
  });

  it("reads the host out of network errors", () => {
    expect(unreachableHost(new Error("getaddrinfo ENOTFOUND login.wx.qq.com"))).toEqual({ code: "ENOTFOUND", host: "login.wx.qq.com" });
    expect(unreachableHost(new Error("connect ECONNREFUSED 127.0.0.1:443"))).toEqual({ code: "ECONNREFUSED", host: "127.0.0.1:443" });
    expect(unreachableHost(new Error("puppet token invalid"))).toBeUndefined();
  });
});
