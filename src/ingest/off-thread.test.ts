import { describe, expect, it } from "vitest";
import { IngestError } from "./errors.js";
import { ingestDocument } from "./ingest.js";
import { DEFAULT_UPLOAD_LIMITS } from "./limits.js";
import { ReadStoppedError } from "./ocr.js";
import { ingestOffThread } from "./off-thread.js";

const encode = (text: string) => new TextEncoder().encode(text);
const POLICY = [
  "关于支持小微企业发展的若干措施",
  "新政办发〔2023〕12号",
  "一、减免房租。对承租国有房屋的小微企业减免3个月租金。",
  "二、降低费用。对小微企业减免检测费用40%。",
  "新疆维吾尔自治区人民政府办公厅",
  "2023年5月1日",
].join("\n");

/** Paragraphs enough to keep a parser busy for a second or more. */
const bigPlainText = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `第${i}条说明：本市对符合条件的小微企业给予一次性补助资金支持，具体标准按照有关规定执行，请及时申请办理。`).join(
    "\n",
  );

/** The longest the main thread's timers were held up while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await work();
    // A read that held the thread to the end ran no timer since: count that stretch too.
    return { value, stallMs: Math.max(stallMs, performance.now() - last - 5) };
  } finally {
    clearInterval(timer);
  }
}

describe("reading uploads off the main thread", () => {
  it("reads and parses as ingestDocument does, while this thread's timers keep running", async () => {
    const bytes = encode(bigPlainText(6_000));
    // Started once, so the reader's start is not what is measured.
    await ingestOffThread({ name: "warm.txt", bytes: encode(POLICY) });
    const inline = await longestStall(() => ingestDocument({ name: "大文件.txt", bytes }));
    const offThread = await longestStall(() => ingestOffThread({ name: "大文件.txt", bytes }));
    expect(offThread.value.parsed.measures.length).toBe(inline.value.parsed.measures.length);
    expect(offThread.value.text).toBe(inline.value.text);
    // What is left on this thread is taking the result in (bounded by the measures a file may have): a fraction of
    // reading it here, however fast or busy the machine (an absolute floor failed on an idle one).
    // Reading inline must stall measurably, or the comparison below says nothing (58 ms seen on a fast machine).
    expect(inline.stallMs).toBeGreaterThan(20);
    expect(offThread.stallMs).toBeLessThan(inline.stallMs / 2);
  });

  it("a file that runs the reader out of memory fails alone, saying so; the next file is read", async () => {
    const limits = { ...DEFAULT_UPLOAD_LIMITS, readMemoryMb: 16 };
    const error = await ingestOffThread({ name: "吃内存.txt", bytes: encode(bigPlainText(15_000)), limits }).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toBe("吃内存.txt：读取时所需内存超过 16 MB，已停止；请拆分或另存为更小的文件后再上传");
    const next = await ingestOffThread({ name: "通知.txt", bytes: encode(POLICY) });
    expect(next.parsed.measures.map((m) => m.marker)).toEqual(["一、", "二、"]);
  });

  it("a read past the time limit is stopped, naming the file; a deleted upload's read stops at once", async () => {
    const slow = await ingestOffThread({
      name: "太慢.txt",
      bytes: encode(bigPlainText(15_000)),
      limits: { ...DEFAULT_UPLOAD_LIMITS, readTimeoutMs: 50 },
    }).catch((e) => e);
    expect(slow).toMatchObject({ code: "TOO_LARGE", message: "太慢.txt：读取超过 0.05 秒仍未完成，已停止；请拆分后分别上传" });
    const stop = new AbortController();
    const reading = ingestOffThread({ name: "已删除.txt", bytes: encode(bigPlainText(15_000)), signal: stop.signal });
    stop.abort();
    await expect(reading).rejects.toBeInstanceOf(ReadStoppedError);
    expect((await ingestOffThread({ name: "通知.txt", bytes: encode(POLICY) })).parsed.measures).toHaveLength(2);
  });
});
