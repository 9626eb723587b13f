/** What every channel says when it cannot answer: one wording, one hotline. */
export const APOLOGY = "抱歉，查询时出了问题，请稍后再试；紧急情况可拨打12345政务服务便民热线。";

/** Said once to an asker who is over the per-contact limit. */
export const RATE_LIMITED_TEXT = "您的提问有点频繁，请稍等一分钟再问。紧急情况可拨打12345政务服务便民热线。";
