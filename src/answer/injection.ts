const INJECTION = [
  /忽略(之前|以上|前面|上述|所有)?.{0,6}(指令|指示|规则|设定|提示)/,
  /(无视|跳过|绕过).{0,6}(规则|限制|指令)/,
  /(系统|初始|原始)(提示词?|指令|prompt)/i,
  /(输出|打印|泄露|告诉我|显示).{0,8}(提示词|prompt|密钥|key|token|配置)/i,
  /ignore (all |any )?(previous|prior|above|the) (instructions|rules|prompts?)/i,
  /system prompt|jailbreak|developer mode|\bDAN\b/i,
  /你现在是|你现在扮演|假装你是|扮演一个/,
  // Rewriting what the bot says rather than asking it: "把答案中的30%改成90%".
  /(答案|回答|回复|输出)(中|里)?的?.{0,16}(改成|改为|换成|替换成|替换为|写成|说成)/,
  /以下(是|为).{0,6}(设定|指令|规则|提示词?)|新的?(系统)?(设定|指令|人设|提示词)/,
  /(不再|不用|不必|无需|不需要)(再)?(需要)?(引用|标注|注明|核实|遵守)/,
  /(不用|不必|无需|不需要|不要|别)再?拒绝/,
];

/** Separators slipped between Han characters to break up a phrase: 忽 略 之 前 的 指 令, 忽.略, 忽\u200b略. */
const HAN_SEPARATOR = /(?<=\p{Script=Han})[\s·•・_*~|/\\.-]+(?=\p{Script=Han})/gu;

/** One spelling to match against: full-width forms folded, invisible characters and spacing inside Chinese removed. */
export function normaliseForInjection(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(HAN_SEPARATOR, "")
    .replace(/\s+/g, " ");
}

/** Questions that try to change the bot's rules or its answers instead of asking about policy. */
export function looksLikeInjection(question: string): boolean {
  const text = normaliseForInjection(question);
  return INJECTION.some((pattern) => pattern.test(text));
}
