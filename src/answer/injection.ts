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
