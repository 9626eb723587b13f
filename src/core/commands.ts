import type { Conversations } from "../conversation/conversations.js";
import type { Intercept } from "./dispatch-types.js";
import { greetingText, helpText, RESET_TEXT } from "./messages.js";

const HELP = new Set(["", "帮助", "help", "菜单", "?", "？"]);
const RESET = new Set(["重新开始", "restart"]);
/** A greeting alone, with its usual trimmings; "你好，检测费能减免吗" is a question and goes on. */
const GREETING = /^(?:你好|您好|hi|hello|嗨|哈喽|在吗|在么)[呀啊！!。.，,~～\s]*$/i;

/** 帮助, 你好 and 重新开始, the same on every channel. */
export function builtInCommands({ conversations, examples }: { conversations: Conversations; examples: () => readonly string[] }): Intercept[] {
  return [
    ({ text = "" }) => (HELP.has(text.toLowerCase()) ? { kind: "reply", text: helpText(examples()), reason: "help" } : undefined),
    ({ text = "" }) => (GREETING.test(text) ? { kind: "reply", text: greetingText(examples()), reason: "greeting" } : undefined),
    async ({ text = "" }, { conversationKey }) => {
      if (!RESET.has(text.toLowerCase())) return undefined;
      await conversations.reset(conversationKey);
      return { kind: "reply", text: RESET_TEXT, reason: "reset" };
    },
  ];
}
