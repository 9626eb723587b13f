import { describe, expect, it } from "vitest";
import { seedAsk } from "../../test/helpers.js";

describe("document answers on the seed", () => {
  it("says what a document states of its own term when asked whether it is still in force", async () => {
    const ask = await seedAsk();
    const asked = await ask("新政办发〔2023〕5号这个方案现在还有效吗？");
    expect(asked.text.slice(0, 300)).toContain("文件没有写明整体的有效期");
    const klmy = await ask("克拉玛依的放管服改革工作要点现在还有效吗？什么时候印发的？");
    expect(klmy.text).toContain("完成时限不是政策的有效期");
    // Not asked: the document answer stays as it was.
    const plain = await ask("新政办发〔2023〕5号是什么文件？");
    expect(plain.text).not.toContain("有效期");
  });
});
