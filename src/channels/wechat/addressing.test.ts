import { describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { MessageInterface, RoomInterface } from "wechaty/impls";
import { type AddressingRules, addressedMessage } from "./addressing.js";

const LOGIN = Date.parse("2026-11-27T09:00:00Z");

/** A message as the handler reads it; only the methods addressing calls. */
function message(options: { text?: string; sentAt?: number; self?: boolean; room?: string; mentioned?: boolean; image?: boolean } = {}): MessageInterface {
  const { text = "公司刻章备案要多长时间？", sentAt = LOGIN + 5_000, self = false, mentioned = false } = options;
  const room = options.room ? ({ id: `room-${options.room}`, topic: async () => options.room } as unknown as RoomInterface) : undefined;
  return {
    self: () => self,
    date: () => new Date(sentAt),
    room: () => room,
    talker: () => ({ id: "contact-1" }),
    type: () => (options.image ? types.Message.Image : types.Message.Text),
    text: () => text,
    mentionSelf: async () => mentioned,
    mentionText: async () => text.replace(/^@\S+\s*/, ""),
  } as unknown as MessageInterface;
}

function rules(overrides: Partial<AddressingRules> = {}): AddressingRules {
  return { rooms: [], trigger: "问：", loggedInAt: () => LOGIN, maxMessageAgeSeconds: 120, now: () => LOGIN + 10_000, ...overrides };
}

describe("which WeChat messages address the bot", () => {
  it("takes a fresh private message as a question", async () => {
    expect(await addressedMessage(message(), rules())).toMatchObject({ text: "公司刻章备案要多长时间？", isText: true, key: "contact-1" });
  });

  it("ignores its own messages", async () => {
    expect(await addressedMessage(message({ self: true }), rules())).toBeUndefined();
  });

  it("drops messages sent before the login, which the puppet replays as history", async () => {
    // Well within the age limit: only the login time rules it out.
    expect(await addressedMessage(message({ sentAt: LOGIN - 30_000 }), rules({ now: () => LOGIN + 1_000 }))).toBeUndefined();
    expect(await addressedMessage(message({ sentAt: LOGIN - 500 }), rules({ now: () => LOGIN + 1_000 }))).toBeDefined();
  });

  it("drops messages older than the age limit, by the injected clock", async () => {
    const sentAt = LOGIN + 60_000;
    expect(await addressedMessage(message({ sentAt }), rules({ now: () => sentAt + 121_000 }))).toBeUndefined();
    expect(await addressedMessage(message({ sentAt }), rules({ now: () => sentAt + 119_000 }))).toBeDefined();
  });

  it("answers in groups on the allow-list only", async () => {
    const allowList = rules({ rooms: ["企业服务群"] });
    expect(await addressedMessage(message({ room: "闲聊群", mentioned: true, text: "@政策助手 检测费" }), allowList)).toBeUndefined();
    expect(await addressedMessage(message({ room: "企业服务群", mentioned: true, text: "@政策助手 检测费" }), allowList)).toMatchObject({
      text: "检测费",
      key: "room-企业服务群:contact-1",
    });
    expect(await addressedMessage(message({ room: "闲聊群", mentioned: true, text: "@政策助手 检测费" }), rules())).toBeDefined();
  });

  it("in a group, needs an @mention or the trigger, and strips it", async () => {
    expect(await addressedMessage(message({ room: "企业服务群" }), rules())).toBeUndefined();
    expect(await addressedMessage(message({ room: "企业服务群", text: "问：检测费" }), rules())).toMatchObject({ text: "检测费" });
    expect(await addressedMessage(message({ room: "企业服务群", text: "问：检测费" }), rules({ trigger: undefined }))).toBeUndefined();
  });
});
