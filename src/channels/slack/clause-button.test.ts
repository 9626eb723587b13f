import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../search/knowledge-base.js";
import { registerClauseButtons } from "./handlers.js";

type ActionHandler = (args: Record<string, unknown>) => Promise<void>;

/** Bolt's `app.action` as far as 查看原文 uses it: the handler is kept and driven as Bolt would. */
function fakeApp() {
  const handlers: ActionHandler[] = [];
  const app = { action: (_pattern: RegExp, handler: ActionHandler) => void handlers.push(handler) } as unknown as App;
  return { app, handlers };
}

describe("查看原文", () => {
  it("shows the clause with Slack's markup escaped, so a clause cannot notify a channel, mention or link", async () => {
    const { app, handlers } = fakeApp();
    const measure = { path: ["<!channel> 第一条"], text: "费用减半 <@U0ADMIN> & <http://example.com|点此领取>" };
    const knowledgeBase = { measuresById: new Map([["m1", measure]]) } as unknown as KnowledgeBase;
    registerClauseButtons(app, () => knowledgeBase);
    const sent: { text: string }[] = [];
    await handlers[0]({
      ack: async () => undefined,
      action: { value: "m1" },
      body: { channel: { id: "C1" }, user: { id: "U1" } },
      client: { chat: { postEphemeral: async (message: { text: string }) => void sent.push(message) } },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0].text).not.toMatch(/[<>]/);
    expect(sent[0].text).toContain("&lt;!channel&gt; 第一条");
    expect(sent[0].text).toContain("&lt;@U0ADMIN&gt; &amp; &lt;http://example.com|点此领取&gt;");
  });
});
