import { describe, expect, it } from "vitest";
import { hugePagePdf, malformedPdf, manyPagesPdf, zipBombDocx } from "./__fixtures__/hostile-files.js";
import { IngestError } from "./errors.js";
import { ingestDocument, prepareDocument } from "./ingest.js";
import { DEFAULT_UPLOAD_LIMITS } from "./limits.js";

const MB = 1024 * 1024;

/** The refusal, and how long it took and how much heap it added: a guard refuses before the work it guards. */
async function refusal(work: Promise<unknown>) {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error: error as IngestError, ms: performance.now() - started, heapMb: (process.memoryUsage().heapUsed - heapBefore) / MB };
}

describe("upload limits: refused before the expensive work, in Chinese, naming the file", () => {
  it("a PDF of 20,000 empty pages is refused from its page tree, before pdf.js reads a page", async () => {
    const { error, ms } = await refusal(prepareDocument({ name: "两万页.pdf", bytes: manyPagesPdf(20_000) }));
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: "TOO_LARGE", message: "两万页.pdf：共 20000 页，超过每个文件 300 页的上限；请拆分后分别上传" });
    expect(ms).toBeLessThan(1_000);
  });

  it("UPLOAD_MAX_PAGES bounds the pages: 301 pages pass a limit of 400 and are refused at 300", async () => {
    const pdf = manyPagesPdf(301);
    // Empty pages have no text layer: past the bound it is a scan waiting for OCR.
    expect(await prepareDocument({ name: "扫描件.pdf", bytes: pdf, limits: { ...DEFAULT_UPLOAD_LIMITS, maxPages: 400 } })).toEqual({
      needsOcr: true,
      format: "pdf",
      pageCount: 301,
    });
    await expect(prepareDocument({ name: "扫描件.pdf", bytes: pdf })).rejects.toThrow("扫描件.pdf：共 301 页，超过每个文件 300 页的上限");
  });

  it("a 14,400-point page (3 GB for pdftoppm at 200 dpi) is refused by its size, naming the page", async () => {
    const pdf = await hugePagePdf();
    expect(pdf.byteLength).toBeLessThan(2_000);
    const { error, ms } = await refusal(prepareDocument({ name: "巨幅.pdf", bytes: pdf }));
    expect(error).toMatchObject({ code: "TOO_LARGE", message: "巨幅.pdf：第 1 页为 5080×5080 毫米，超过 A0（841×1189 毫米）的上限，无法读取" });
    expect(ms).toBeLessThan(1_000);
    // A0 itself is read.
    expect(await prepareDocument({ name: "A0.pdf", bytes: await hugePagePdf(2384) })).toMatchObject({ needsOcr: true, pageCount: 1 });
  });

  it("a malformed PDF is an IngestError naming the file, not pdf.js's own exception", async () => {
    const error = await ingestDocument({ name: "损坏.pdf", bytes: malformedPdf() }).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe("UNREADABLE");
    expect(error.message).toMatch(/^损坏\.pdf：PDF 文件已损坏或不完整，无法打开/);
  });

  it("a zip-bomb .docx (1.4 MB unpacking to 400 MB) is refused from its directory before mammoth reads it", async () => {
    const bomb = await zipBombDocx(400 * MB);
    expect(bomb.byteLength).toBeLessThan(2 * MB);
    const { error, ms, heapMb } = await refusal(prepareDocument({ name: "炸弹.docx", bytes: bomb }));
    expect(error).toMatchObject({ code: "TOO_LARGE" });
    expect(error.message).toMatch(/^炸弹\.docx：解压后超过 64 MB（声明的大小），可能是“压缩炸弹”或损坏的文件，已拒绝/);
    expect(ms).toBeLessThan(500);
    expect(heapMb).toBeLessThan(50);
  });

  it("a .docx whose directory understates its size is refused by what it actually inflates to, inflating no further than the limit", async () => {
    const liar = await zipBombDocx(80 * MB, { declaredBytes: 20_000 });
    const { error, heapMb } = await refusal(prepareDocument({ name: "伪装.docx", bytes: liar }));
    expect(error).toMatchObject({ code: "TOO_LARGE", message: expect.stringMatching(/^伪装\.docx：解压后超过 64 MB，可能是“压缩炸弹”/) });
    expect(heapMb).toBeLessThan(100);
  });

  it("a .docx that packs one part far tighter than a document does is refused by its ratio", async () => {
    const dense = await zipBombDocx(30 * MB);
    await expect(prepareDocument({ name: "高压缩.docx", bytes: dense })).rejects.toThrow(
      /^高压缩\.docx：其中 word\/document\.xml 压缩比为 \d+ 倍，超过 100 倍/,
    );
  });

  it("each format has its size: a 45 MB text is refused unread", async () => {
    const text = new Uint8Array(45 * MB).fill(0x41);
    const { error, ms } = await refusal(prepareDocument({ name: "大文本.txt", bytes: text }));
    expect(error).toMatchObject({ code: "TOO_LARGE", message: "大文本.txt：文本文件有 45 MB，超过 10 MB 的上限；请拆分后分别上传" });
    expect(ms).toBeLessThan(200);
  });

  it("an image of more pixels than OCR should take on is refused from its header", async () => {
    // A PNG header claiming 20,000 × 20,000 pixels.
    const png = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    png.writeUInt32BE(13, 8);
    png.write("IHDR", 12, "latin1");
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    await expect(prepareDocument({ name: "超大图.png", bytes: png })).rejects.toThrow("超大图.png：图片为 20000×20000 像素，超过 60 百万像素的上限");
  });
});
