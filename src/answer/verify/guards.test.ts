import { describe, expect, it } from "vitest";
import { verifyAnswer } from "../verify.js";

/** One clause that states a share, a phone number and an address: what an answer may repeat. */
const CLAUSE = "对符合条件的小微企业，按检测费的30%给予减免，咨询电话0994-2345678，邮箱jcjm@cj.gov.cn。";
const check = (answer: string) => verifyAnswer({ answer, clauses: new Map([[1, CLAUSE]]), supplied: "" });

describe("the verifier's guards, each with a test that fails without it", () => {
  it.each([
    "138-1234-5678",
    "13812345678",
    "138 1234 5678",
    "１３８－１２３４－５６７８",
    "138.1234.5678",
    "(138)1234-5678",
    "+86 138-1234-5678",
    "138–1234–5678",
  ])("a phone number not in the clause is refused as a phone number, in any spelling: %s", (phone) => {
    expect(check(`检测费可减免30%，咨询电话${phone}[1]。`).problems).toContainEqual(expect.stringMatching(/^电话号码“(86)?13812345678”/));
    // Followed by a unit-like character (号, 位) it is still a number to call, not a figure.
    expect(check(`检测费可减免30%，请拨${phone}号[1]。`).problems).toContainEqual(expect.stringMatching(/^电话号码/));
  });

  it("the clause's own phone number passes, however it is spaced", () => {
    expect(check("检测费可减免30%，咨询电话0994 2345678[1]。")).toEqual({ ok: true, problems: [] });
  });

  it.each(["jianmian@163.com", "jianmian＠163.com", "JianMian@163.COM", "jianmian(at)163.com", "jcjm@cj.gov.cn.example.com"])(
    "an e-mail address not in the clause is refused as an e-mail address: %s",
    (address) => {
      expect(check(`检测费可减免30%，材料请发至${address}[1]。`).problems).toContainEqual(expect.stringMatching(/^电子邮箱“/));
    },
  );

  it("the clause's own e-mail address passes", () => {
    expect(check("检测费可减免30%，材料请发至jcjm@cj.gov.cn[1]。")).toEqual({ ok: true, problems: [] });
  });

  it.each(["30元", "三十元", "30块", "30日", "30倍", "30万元"])("a figure is checked with its unit: %s against a clause that says 30%%", (figure) => {
    expect(check(`检测费可减免${figure}[1]。`).ok).toBe(false);
  });

  it("the same figure with the clause's unit passes, in any spelling", () => {
    for (const share of ["30%", "百分之三十", "三成", "十分之三"]) expect(check(`检测费可减免${share}[1]。`)).toEqual({ ok: true, problems: [] });
  });
});
