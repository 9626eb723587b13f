import { describe, expect, it } from "vitest";
import { fakeAnswer } from "../../test/fake-answer.js";
import { handoffRequest } from "./intent.js";
import { withHandoffOffer } from "./refusal-offer.js";

describe("asking for a person", () => {
  it("reads 转人工, 人工客服, 找人工 and polite forms as a request", () => {
    for (const text of ["转人工", "人工客服", "找人工", "请转人工！", "我要人工客服", "人工", " 转人工。"]) expect(handoffRequest(text), text).toEqual({});
  });
  it("keeps the question written after the request", () => {
    expect(handoffRequest("转人工：歇业以后多久能恢复经营？")).toEqual({ question: "歇业以后多久能恢复经营？" });
    expect(handoffRequest("人工客服 检测费怎么减免")).toEqual({ question: "检测费怎么减免" });
  });
  it("leaves questions about 人工 topics alone", () => {
    for (const text of ["人工智能企业有什么补贴", "转人工服务费怎么收", "人工成本补贴", "检测费能减免吗"]) expect(handoffRequest(text), text).toBeUndefined();
  });
  it("a refusal offers a person; an answer or an injection refusal does not", () => {
    const refused = fakeAnswer({
      refused: true,
      refusal: { reason: "no-match" },
      body: "抱歉，没有找到。请拨打12345。",
      text: "抱歉，没有找到。请拨打12345。",
    });
    expect(withHandoffOffer(refused).body).toBe("抱歉，没有找到。请拨打12345。\n回复「转人工」由工作人员处理。");
    expect(withHandoffOffer(withHandoffOffer(refused)).body.match(/转人工/g)).toHaveLength(1);
    expect(withHandoffOffer(fakeAnswer()).body).toBe(fakeAnswer().body);
    expect(withHandoffOffer({ ...refused, refusal: { reason: "injection" } }).body).toBe(refused.body);
  });
});
