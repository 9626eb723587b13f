import type { RefusalReason } from "../types.js";
import { HOTLINE_SENTENCE } from "./compose.js";

export type { RefusalReason };

export interface RefusalDetail {
  regions?: string[];
  covered?: string[];
  maxChars?: number;
  /** What the clauses do not state (办理地点, 是否收费). */
  asked?: string;
  /** The question's topic that no clause speaks of (稳岗返还), for a plain "no such measure". */
  topic?: string;
  /** The nearest topic the documents do have (稳岗扩岗). */
  nearest?: string;
  /** The places whose documents do speak of the topic, when only the places asked about lack it. */
  elsewhere?: string[];
  /** The places asked about, when only other places' clauses speak of the question. */
  places?: string[];
}

/** One short, helpful message per kind of refusal; each points to 12345. */
export function refusalText(reason: RefusalReason, detail: RefusalDetail = {}): string {
  switch (reason) {
    case "other-region":
      return `抱歉，知识库目前只收录了${(detail.covered ?? []).join("、")}的政策，没有${(detail.regions ?? []).join("、")}的政策，无法据此作答。请咨询当地主管部门或拨打当地12345政务服务便民热线。`;
    case "personal-matter":
      return `抱歉，这属于个人事务（如个人所得税、个人社保或公积金账户、户籍婚姻等），不在惠企政策知识库的范围内。请通过相应的政务服务平台、主管部门窗口查询办理，${HOTLINE_SENTENCE}`;
    case "request-to-act":
      return `抱歉，我只能查询和解释政策条款，不能代您提交、申请、办理或缴纳任何事项，不能发放、转账或代付任何款项，也不能以任何单位名义发布内容。办理业务请登录政务服务网（一体化在线政务服务平台）或到政务服务大厅窗口，${HOTLINE_SENTENCE}`;
    case "amount-not-stated":
      return "文件中没有写明您问的具体金额、比例或额度，我无法给出数字。";
    case "not-stated":
      return `文件中没有写明${detail.asked ?? "您问的这一点"}。`;
    case "injection":
      return `抱歉，我只能依据知识库中的惠企政策条款回答政策问题，不能执行其他指令。${HOTLINE_SENTENCE}`;
    case "too-long":
      return `抱歉，问题超过了${detail.maxChars ?? 2000}字，无法处理。请把问题缩短到一两句话再问。${HOTLINE_SENTENCE}`;
    default:
      if (detail.topic) return noSuchMeasure(detail.topic, detail.nearest, detail.elsewhere);
      if (detail.places?.length && detail.elsewhere?.length)
        return `抱歉，知识库中适用于${detail.places.join("、")}的政策文件没有这方面的规定，无法据此作答；${detail.elsewhere.join("、")}的文件中有相关规定，但那是当地的措施，不适用于${detail.places.join("、")}。请向当地主管部门咨询，或拨打12345政务服务便民热线。`;
      return `抱歉，知识库中没有找到与您的问题直接相关的政策条款，无法给出可靠答复。您可以换个说法再问，${HOTLINE_SENTENCE}`;
  }
}

/** Said plainly: the documents have no such measure; the nearest topic they do have, if any; where to ask. */
function noSuchMeasure(topic: string, nearest?: string, elsewhere?: string[]): string {
  const near = nearest && nearest !== topic ? `文件中与此最接近的内容是“${nearest}”，但并未规定“${topic}”。` : "";
  if (elsewhere?.length)
    return `抱歉，知识库中适用于您所问地区的政策文件没有关于“${topic}”的规定，无法据此作答；${elsewhere.join("、")}的文件中有关于“${topic}”的规定，但那是当地的措施。${near}请向主管部门咨询，或拨打12345政务服务便民热线。`;
  return `抱歉，知识库收录的政策文件中没有关于“${topic}”的规定，无法据此作答。${near}请向主管部门咨询，或拨打12345政务服务便民热线。`;
}
