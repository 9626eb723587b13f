/** Everything hand-off says to users and staff, in one place. */
export const HOTLINE = "12345政务服务便民热线";

export function queuedText(hours: string | undefined): string {
  return [
    "已为您转接人工服务，您的问题和之前的对话已交给工作人员，回复会发到这里。",
    hours ? `人工服务时间：${hours}，非工作时间的问题将在下一个工作时段处理。` : "工作人员将尽快处理。",
    `如需立即咨询，请拨打${HOTLINE}。`,
  ].join("\n");
}

export const ALREADY_QUEUED_TEXT = `您的问题已在人工服务排队中，工作人员回复后会发到这里；如需立即咨询，请拨打${HOTLINE}。`;

/** When the user writes 转人工 and nothing else has been asked yet. */
export const NO_QUESTION = "（用户请求人工服务，尚未提出具体问题）";

export const OUTSIDE_WINDOW = "用户最后一次发消息已超过48小时，微信不允许再通过客服消息回复，无法送达；请改用其他方式（如12345回访）联系。";
