import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { AnswerPages } from "../../handoff/answer-pages.js";
import type { HandoffSchema } from "../../handoff/tables.js";
import { openSqliteStore, type Store } from "../../store/sqlite-store.js";
import type { Citation } from "../../types.js";
import { fakeAnswer } from "./__fixtures__/platform.js";
import { API_DOWN_MS, createPassiveFallback } from "./passive-fallback.js";

const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function fallback(options: { publicBaseUrl?: string; customerServiceApi?: boolean } = {}) {
  const store = openSqliteStore(":memory:");
  stores.push(store);
  await store.ready;
  let clock = Date.parse("2026-11-27T02:00:00Z");
  const pages = new AnswerPages(store.db as unknown as Kysely<HandoffSchema>, () => clock);
  const passive = createPassiveFallback({ pages, publicBaseUrl: "https://policy.example.cn", customerServiceApi: true, now: () => clock, ...options });
  return { passive, pages, advance: (ms: number) => (clock += ms) };
}

const long = fakeAnswer({
  body: Array.from({ length: 30 }, (_, i) => `第${i + 1}项：检测费减免${i + 10}%[1]。`).join(""),
  citations: [{ marker: 1, document: "优化营商环境措施", docNumber: "新政办发〔2023〕5号" } as Citation],
});

describe("passive replies that always deliver", () => {
  it("a long answer: the short answer with its 文号 and a link to the full page, which holds the whole answer", async () => {
    const { passive, pages } = await fallback();
    const text = await passive.reply("检测费怎么减免", long, false, "whole");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text).toContain("新政办发〔2023〕5号");
    const id = text.match(/\/a\/([A-Za-z0-9_-]{22})$/)?.[1];
    expect(id).toBeTruthy();
    expect((await pages.get(id!))?.answer?.body).toBe(long.body);
  });

  it("an answer that fits is given whole, with no page", async () => {
    const { passive } = await fallback();
    expect(await passive.reply("问", long, true, "whole")).toBe("whole");
  });

  it("a late answer: the link where it will be, filled when it comes", async () => {
    const { passive, pages } = await fallback();
    let settle!: (a: typeof long) => void;
    const text = await passive.late("检测费怎么减免", new Promise((resolve) => (settle = resolve)));
    const id = text.match(/\/a\/([A-Za-z0-9_-]{22})$/)![1];
    expect((await pages.get(id))?.answer).toBeUndefined();
    settle(long);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect.poll(async () => (await pages.get(id))?.answer?.body).toBe(long.body);
  });

  it("the customer-service API is taken as unavailable when there is none, and for a while after a send failed", async () => {
    expect((await fallback({ customerServiceApi: false })).passive.apiAvailable()).toBe(false);
    const { passive, advance } = await fallback();
    expect(passive.apiAvailable()).toBe(true);
    passive.apiFailed();
    expect(passive.apiAvailable()).toBe(false);
    advance(API_DOWN_MS);
    expect(passive.apiAvailable()).toBe(true);
  });

  it("without PUBLIC_BASE_URL the short answer stands alone and nothing is promised", async () => {
    const { passive } = await fallback({ publicBaseUrl: undefined });
    const text = await passive.reply("问", long, false, "whole");
    expect(text).not.toContain("http");
    expect(text).toContain("第1项：检测费减免10%。");
  });
});
