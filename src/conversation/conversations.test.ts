import { describe, expect, it } from "vitest";
import { createConversations } from "./conversations.js";

describe("WeChat conversations", () => {
  it("keeps a conversation while active and starts a new one after the idle time", () => {
    let clock = 1_000_000;
    const conversations = createConversations({ idleMs: 30 * 60_000, now: () => clock });
    const first = conversations.idFor("contact-1");
    clock += 29 * 60_000;
    expect(conversations.idFor("contact-1")).toBe(first);
    // Activity renews the window: 29 more minutes after the last question still continues it.
    clock += 29 * 60_000;
    expect(conversations.idFor("contact-1")).toBe(first);
    clock += 30 * 60_000;
    const second = conversations.idFor("contact-1");
    expect(second).not.toBe(first);
    expect(conversations.idFor("contact-2")).not.toBe(second);
  });

  it("starts afresh after a reset", () => {
    const conversations = createConversations({ idleMs: 60_000, now: () => 0 });
    const first = conversations.idFor("contact-1");
    conversations.reset("contact-1");
    expect(conversations.idFor("contact-1")).not.toBe(first);
  });
});
