/** What every channel says when it cannot answer: one wording, one hotline. */
export const APOLOGY = "抱歉，查询时出了问题，请稍后再试；紧急情况可拨打12345政务服务便民热线。";

/** Said once to an asker who is over the per-contact limit. */
export const RATE_LIMITED_TEXT = "您的提问有点频繁，请稍等一分钟再问。紧急情况可拨打12345政务服务便民热线。";

export const RESET_TEXT = "好的，已清空之前的对话，请提出新的问题。";

export const NON_TEXT_HINT = "暂时只能看懂文字，请直接输入您的问题，例如：我的企业能减免多少检测费？";

const WHAT_I_DO = "我是惠企政策助手，可以回答惠企纾困、营商环境政策问题，并注明依据的文件和条款。";

/** The reply to 帮助: what the bot does, how to ask, and how to start over. */
export function helpText(examples: readonly string[]): string {
  return [`您好，${WHAT_I_DO}您可以这样问：`, ...examples.slice(0, 3).map((question) => `· ${question}`), "发送“重新开始”可以清空对话。"].join("\n");
}

/** The reply to 你好 and a new follower: a short greeting, what the bot does, and examples. */
export function greetingText(examples: readonly string[]): string {
  return [`您好，欢迎使用！${WHAT_I_DO}例如：`, ...examples.slice(0, 3).map((question) => `· ${question}`), "请直接输入您的问题。"].join("\n");
}
