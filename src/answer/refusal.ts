/** Why a question is not answered from the knowledge base. */
import type { RefusalReason } from "../types.js";
import { HOTLINE_SENTENCE as HOTLINE } from "./compose.js";

export type { RefusalReason };


export function refusalText(reason: RefusalReason, detail: { regions?: string[]; covered?: string[] } = {}): string {
  switch (reason) {
    case "other-region":
      return `抱歉，知识库目前收录的是${(detail.covered ?? []).join("、")}的政策，没有${(detail.regions ?? []).join("、")}的相关政策，无法据此作答。${HOTLINE.replace("12345", "当地12345")}`;
    case "injection":
      return `抱歉，我只能依据知识库中的惠企政策条款回答政策问题，不能执行其他指令。${HOTLINE}`;
    case "too-long":
      return `抱歉，问题超过了${2000}字，无法处理。请把问题缩短到一两句话再问。${HOTLINE}`;
    default:
      return `抱歉，知识库中没有找到与您的问题直接相关的政策条款，无法给出可靠答复。您可以换个说法再问，${HOTLINE}`;
  }
}

const INJECTION = [
  /忽略(之前|以上|前面|上述|所有)?.{0,6}(指令|指示|规则|设定|提示)/,
  /(无视|跳过|绕过).{0,6}(规则|限制|指令)/,
  /(系统|初始|原始)(提示词?|指令|prompt)/i,
  /(输出|打印|泄露|告诉我|显示).{0,8}(提示词|prompt|密钥|key|token|配置)/i,
  /ignore (all |any )?(previous|prior|above|the) (instructions|rules|prompts?)/i,
  /system prompt|jailbreak|developer mode|\bDAN\b/i,
  /你现在是|你现在扮演|假装你是|扮演一个/,
];

/** Questions that try to change the bot's rules instead of asking about policy. */
export function looksLikeInjection(question: string): boolean {
  return INJECTION.some((pattern) => pattern.test(question));
}
