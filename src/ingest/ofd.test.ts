import { describe, expect, it } from "vitest";
import { makeOfd } from "./__fixtures__/make-ofd.js";
import { makeZip } from "./__fixtures__/make-zip.js";
import { regulationPages } from "./__fixtures__/regulation.js";
import { ingestDocument } from "./ingest.js";
import { DEFAULT_UPLOAD_LIMITS, uploadLimits } from "./limits.js";
import { advances, readOfdText } from "./ofd.js";
import { detectFormat } from "./source-format.js";

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const page = (objects: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}><ofd:Content><ofd:Layer ID="1">${objects}</ofd:Layer></ofd:Content></ofd:Page>`;
/** One page whose Content.xml is `content`, with the root paths written as some producers do (absolute). */
const onePage = (content: string) =>
  makeZip({
    "OFD.xml": `<ofd:OFD ${NS} Version="1.0"><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    "Doc_0/Document.xml": `<ofd:Document ${NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
    "Doc_0/Pages/Page_0/Content.xml": content,
  });

describe("OFD (GB/T 33190)", () => {
  it("is told by its package, not its name, and read into the regulation's outline, 文号 and date", async () => {
    const ofd = makeOfd(regulationPages());
    expect(detectFormat("renamed.zip", ofd)).toBe("ofd");
    const result = await ingestDocument({ name: "办法.ofd", bytes: ofd });
    expect(result.format).toBe("ofd");
    expect(result.pageCount).toBe(2);
    expect(result.parsed.documents[0]).toMatchObject({ docNumber: "昌市政办发〔2024〕7号", date: "2024-02-20" });
    expect(result.parsed.measures.map((m) => m.path.join(" › "))).toContain("第二章贴息标准 › 第四条申请首贷贴息应当提交下列材料 › （二）");
    // The page number at each page's foot is dropped.
    expect(result.text).not.toMatch(/- \d -/);
  });

  it('places characters by DeltaX ("g n v" runs), a CTM and a block, and splits a run where an advance jumps', () => {
    expect(advances("g 3 4.5 2 g 2 1")).toEqual([4.5, 4.5, 4.5, 2, 1, 1]);
    const content = page(
      `<ofd:PageBlock ID="2"><ofd:TextObject ID="3" Boundary="20 20 170 10" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5 40 g 2 5">项目一二标准三四</ofd:TextCode></ofd:TextObject></ofd:PageBlock>` +
        `<ofd:TextObject ID="4" Boundary="20 40 170 10" Size="10" CTM="0.5 0 0 0.5 0 0"><ofd:TextCode X="0" Y="10" DeltaX="g 4 10">按比例缩放</ofd:TextCode></ofd:TextObject>`,
    );
    const { pages } = readOfdText("表.ofd", onePage(content), DEFAULT_UPLOAD_LIMITS);
    expect(pages).toEqual([["项目一二 | 标准三四", "按比例缩放"]]);
  });

  it("refuses a part with a DOCTYPE, a missing part and too many pages, naming the file", () => {
    const laughs = page(`<ofd:TextObject ID="3" Boundary="0 0 10 10" Size="5"><ofd:TextCode X="0" Y="5">&lol;</ofd:TextCode></ofd:TextObject>`).replace(
      "<ofd:Page",
      '<!DOCTYPE p [<!ENTITY lol "lol">]><ofd:Page',
    );
    expect(() => readOfdText("恶意.ofd", onePage(laughs), DEFAULT_UPLOAD_LIMITS)).toThrow(/^恶意\.ofd：不是可以读取的 OFD 文件（.*DOCTYPE/);
    expect(() => readOfdText("残缺.ofd", makeZip({ "OFD.xml": "<ofd:OFD/>" }), DEFAULT_UPLOAD_LIMITS)).toThrow(/^残缺\.ofd：.*没有 DocRoot/);
    expect(() => readOfdText("长.ofd", makeOfd([["一"], ["二"], ["三"]]), uploadLimits({ maxPages: 2 }))).toThrow("长.ofd：共 3 页，超过每个文件 2 页的上限");
  });

  it("refuses a package that unpacks far larger than it is, before parsing it", () => {
    const bomb = makeZip({ "OFD.xml": `<a>${" ".repeat(20 * 1024 * 1024)}</a>` });
    expect(() => readOfdText("炸弹.ofd", bomb, DEFAULT_UPLOAD_LIMITS)).toThrow(/^炸弹\.ofd：其中 OFD\.xml 压缩比为 \d+ 倍，超过 100 倍.*OFD/);
  });

  it("an OFD of scanned pages (no text) asks for a PDF export", async () => {
    await expect(ingestDocument({ name: "扫描.ofd", bytes: onePage(page("")) })).rejects.toThrow(/^扫描\.ofd：OFD 文件中没有文字层/);
  });
});
