import { describe, expect, it } from "vitest";
import { seedAsk } from "../../test/helpers.js";

describe("extractive answers on the seed", () => {
  it("answers 都包括哪些 with the best clause's siblings under the same heading, each in the lead", async () => {
    const answer = await (await seedAsk())("政法委的措施里，打击各种损害企业利益的违法犯罪都包括哪些？");
    const lead = answer.text.slice(0, 300);
    // 三、打击违法犯罪 › 16.–19.: not only the best clause (欺行霸市…) but its neighbours the caller asked for.
    expect(lead).toContain("敲诈勒索");
    expect(lead).toContain("串通投标");
    expect(lead).toContain("电信");
    expect(lead).toContain("商标权");
  });

  it("takes a sibling scoring a little over a third of the best clause, as other clauses of a kind are taken", async () => {
    const answer = await (await seedAsk())("政法委那50条里，对企业和企业家采取查封财产、抓人这些强制措施，有哪些从宽从轻的规定？");
    const lead = answer.text.slice(0, 300);
    expect(lead).toContain("活封");
    // 24. 稳慎适用人身性强制措施, beside 23. 审慎适用财产性强制措施.
    expect(lead).toContain("少捕慎诉慎押");
  });

  it("reads 现在还有吗 as asking whether a measure runs today: a task's 完成时限 is said first", async () => {
    const answer = await (await seedAsk())("哈密对集装箱车辆64折的通行费优惠现在还有吗？");
    expect(answer.body.split("\n")[0]).toContain("2023年12月30日完成");
    expect(answer.body).toContain("不是政策的有效期");
    // "以后还能再开吗" asks what may be done, not about dates: no period line.
    const capability = await (await seedAsk())("个体工商户歇业以后还能再开吗？");
    expect(capability.text).not.toContain("有效期");
  });

  it("reads 啥时候要完成 as asking for the 完成时限, in a follow-up too", async () => {
    const answer = await (await seedAsk())("啥时候要完成？", [{ question: "克拉玛依新建商品房交房即交证是哪个部门牵头？" }]);
    expect(answer.body.split("\n")[0]).toBe("完成时限为2023年12月底前[1]。");
  });
});
