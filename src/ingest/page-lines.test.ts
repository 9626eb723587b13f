import { describe, expect, it } from "vitest";
import { type PositionedText, pageLines } from "./page-lines.js";

const SIZE = 12;
/** A line of text at (x, y), one fragment, its width that of its characters. */
const at = (text: string, x: number, y: number): PositionedText => ({ text, x, y, width: [...text].length * SIZE, height: SIZE });
const row = (y: number, ...cells: Array<[string, number]>) => cells.map(([text, x]) => at(text, x, y));

describe("pageLines", () => {
  const left = ["一、左栏第一行文字排满整栏", "左栏第二行文字也排满整栏", "左栏第三行文字仍然排满了", "左栏第四行到此结束。"];
  const right = ["二、右栏第一行文字排满整栏", "右栏第二行文字也排满整栏", "右栏第三行文字仍然排满了", "右栏第四行到此结束。"];

  it("reads two columns left then right, keeps a title across both in place and sets the footer apart", () => {
    const fragments = [
      at("关于两栏排版的通知", 150, 780),
      ...left.flatMap((text, i) => row(740 - i * 18, [text, 50])),
      ...right.flatMap((text, i) => row(740 - i * 18, [text, 50 + 13 * SIZE + 20])),
      // A browser's footer: the address at the left, the page at the right, far below the text.
      ...row(40, ["file:///tmp/notice.html", 50], ["1/2", 400]),
    ];
    expect(pageLines(fragments)).toEqual(["关于两栏排版的通知", ...left, ...right, "file:///tmp/notice.html | 1/2"]);
  });

  it("leaves one column as it is and reads a table as rows of cells, not as columns", () => {
    const table = [
      row(700, ["项目", 50], ["标准", 200], ["责任单位", 380]),
      row(680, ["房屋租金减免", 50], ["减免3个月租金", 200], ["市国资委", 380]),
      row(660, ["检验检测费用", 50], ["减半收取", 200], ["市市场监管局", 380]),
      row(640, ["贷款贴息", 50], ["贴息50%", 200], ["市财政局", 380]),
    ].flat();
    expect(pageLines(table)).toEqual([
      "项目 | 标准 | 责任单位",
      "房屋租金减免 | 减免3个月租金 | 市国资委",
      "检验检测费用 | 减半收取 | 市市场监管局",
      "贷款贴息 | 贴息50% | 市财政局",
    ]);
    const oneColumn = [
      "第一行文字从左边一直排到右边没有空隙的正文内容",
      "第二行文字从左边一直排到右边没有空隙的正文内容",
      "第三行",
      "第四行文字从左边一直排到右边没有空隙的正文内容",
    ];
    expect(pageLines(oneColumn.map((text, i) => at(text, 50, 700 - i * 18)))).toEqual(oneColumn);
  });
});
