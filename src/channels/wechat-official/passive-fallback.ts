import type { AnswerPages, PageContent } from "../../handoff/answer-pages.js";
import { shortAnswer } from "../../handoff/short-answer.js";
import type { Answer } from "../../types.js";

/** After a send through the customer-service API fails, passive replies carry the answer for this long. */
export const API_DOWN_MS = 10 * 60_000;

export const LATE_TEXT = "您的问题正在查询，答案需要稍等片刻。";

export interface PassiveFallbackOptions {
  pages: AnswerPages;
  /** PUBLIC_BASE_URL: without it no link can be given, and the short answer stands alone. */
  publicBaseUrl?: string;
  /** False for an unverified 订阅号, which has no customer-service API at all. */
  customerServiceApi: boolean;
  now?: () => number;
}

/**
 * What the 5-second passive reply says when the customer-service API cannot carry the answer (there is none,
 * or it just failed): a complete short answer and a link to the full one at /a/:id, or, when the answer is
 * not ready in time, the link where it will be. Never "success" with nothing sent.
 */
export function createPassiveFallback({ pages, publicBaseUrl, customerServiceApi, now = Date.now }: PassiveFallbackOptions) {
  let downUntil = Number.NEGATIVE_INFINITY;
  const link = (id: string) => (publicBaseUrl ? `${publicBaseUrl}/a/${id}` : undefined);
  return {
    /** Whether answers may go through the customer-service API now. */
    apiAvailable: () => customerServiceApi && now() >= downUntil,
    /** A send failed: passive replies carry answers for a while. */
    apiFailed() {
      downUntil = now() + API_DOWN_MS;
    },
    /** The answer in one passive reply: the short answer, and the link to the whole one when it is longer. */
    async reply(question: string, answer: Answer, fitsWhole: boolean, whole: string): Promise<string> {
      if (fitsWhole) return whole;
      const id = publicBaseUrl ? await pages.create(question, answer) : undefined;
      return shortAnswer(answer, id && link(id));
    },
    /** Not ready within the budget: a page now, filled when the answer comes; the reply says where. */
    async late(question: string, answer: Promise<PageContent | undefined>): Promise<string> {
      if (!publicBaseUrl) return `${LATE_TEXT}请稍后重新发送问题，或拨打12345政务服务便民热线。`;
      const id = await pages.create(question);
      void answer.then((a) => (a ? pages.fill(id, a) : undefined)).catch(() => undefined);
      return `${LATE_TEXT}请点击查看：${link(id)}`;
    },
  };
}

export type PassiveFallback = ReturnType<typeof createPassiveFallback>;
