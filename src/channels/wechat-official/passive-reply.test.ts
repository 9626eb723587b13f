import { afterEach, describe, expect, it } from "vitest";
import { AnswerPages } from "../../handoff/answer-pages.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import type { Citation } from "../../types.js";
import { type Harness, type HarnessOptions, startHarness, textMessage } from "./__fixtures__/harness.js";
import { deferred, fakeAnswer } from "./__fixtures__/platform.js";

const CUSTOM_SEND = "/cgi-bin/message/custom/send";
const BASE = "https://policy.example.cn";
let harness: Harness | undefined;
let store: Store | undefined;

async function start(options: HarnessOptions = {}) {
  store = openSqliteStore(":memory:");
  await store.ready;
  const pages = new AnswerPages(store.db as never, Date.now);
  harness = await startHarness({ pages, publicBaseUrl: BASE, ...options });
  return { ...harness, pages };
}
afterEach(async () => {
  await harness?.close();
  await store?.close();
  harness = undefined;
});

const long = fakeAnswer({
  body: Array.from({ length: 60 }, (_, i) => `第${i + 1}项：小微企业检验检测费减免${i + 10}%，办理时限压缩至${i + 1}个工作日[1]。`).join(""),
  citations: [{ marker: 1, document: "优化营商环境若干措施", docNumber: "新政办发〔2023〕5号", text: "条款", path: "一", documentId: "doc-1" } as Citation],
});
const pageId = (text: string) => text.match(/\/a\/([A-Za-z0-9_-]{22})/)?.[1];

describe("公众号 passive replies that always deliver", () => {
  it("without the customer-service API, a long answer is replied passively: its lead with figures and 文号, within 2,048 bytes, and the link to the whole", async () => {
    const { mp, api, pages } = await start({ customerServiceApi: false, answer: () => long });
    const response = await mp.send(textMessage("oNoApi", "检测费怎么减免"));
    const content = response.reply?.Content ?? "";
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
    expect(content).toContain("第1项：小微企业检验检测费减免10%，办理时限压缩至1个工作日。");
    expect(content).toContain("新政办发〔2023〕5号");
    expect(content).toContain(`${BASE}/a/`);
    expect((await pages.get(pageId(content)!))?.answer?.body).toBe(long.body);
    expect(api.of(CUSTOM_SEND)).toEqual([]);
  });

  it("without the API, an answer later than the budget is replied with the link where it will be, and the page is filled", async () => {
    const late = deferred<typeof long>();
    const { mp, api, pages } = await start({ customerServiceApi: false, passiveReplyBudgetMs: 50, answer: () => late.promise });
    const response = await mp.send(textMessage("oNoApiLate", "检测费怎么减免"));
    const content = response.reply?.Content ?? "";
    expect(content).toContain("正在查询");
    const id = pageId(content)!;
    expect((await pages.get(id))?.answer).toBeUndefined();
    late.resolve(long);
    await expect.poll(async () => (await pages.get(id))?.answer?.body ?? "").toContain("第1项");
    expect(api.of(CUSTOM_SEND)).toEqual([]);
  });

  it("after a customer-service send fails, the next long answer goes in the passive reply instead", async () => {
    const { mp, api } = await start({ answer: () => long });
    api.failNext(CUSTOM_SEND, { body: { errcode: 48001, errmsg: "api unauthorized" } });
    const first = await mp.send(textMessage("oFails", "检测费怎么减免"));
    expect(first.reply).toBeUndefined();
    await api.waitFor(() => api.of(CUSTOM_SEND).length >= 1, "the failed send");
    await new Promise((resolve) => setImmediate(resolve));
    const second = await mp.send(textMessage("oFails", "检测费还能怎么减免"));
    expect(second.reply?.Content).toContain(`${BASE}/a/`);
  });

  it("with the API working, a long answer still goes through it in parts (unchanged)", async () => {
    const { mp, api } = await start({ answer: () => long });
    const response = await mp.send(textMessage("oWorks", "检测费怎么减免"));
    expect(response.reply).toBeUndefined();
    await api.waitFor(() => api.delivered(CUSTOM_SEND).length > 1, "the parts");
  });
});
