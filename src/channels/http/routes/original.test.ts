import { beforeAll, describe, expect, it } from "vitest";
import { seedKnowledgeBase } from "../../../../test/helpers.js";
import type { KnowledgeBase } from "../../../search/knowledge-base.js";
import type { Measure } from "../../../types.js";
import { testApp } from "../__fixtures__/test-app.js";
import { originalHref } from "./original.js";

let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = await seedKnowledgeBase();
});

const page = async (path: string) => {
  const response = await testApp({ knowledgeBase }).app.request(path);
  return { status: response.status, html: await response.text(), csp: response.headers.get("content-security-policy") ?? "" };
};

/** A seed clause printed on one page that shares its page with other clauses. */
function clauseSharingItsPage(): Measure {
  return knowledgeBase.corpus.measures.find(
    (m) => m.pages.length === 1 && knowledgeBase.corpus.measures.some((o) => o.id !== m.id && o.documentId === m.documentId && o.pages.includes(m.pages[0])),
  )!;
}

describe("GET /original/:id: a cited clause on its page of the original", () => {
  it("shows the seed page's clauses in order with the cited one highlighted, and the document's 文号", async () => {
    const cited = clauseSharingItsPage();
    const document = knowledgeBase.documentsById.get(cited.documentId)!;
    const { status, html, csp } = await page(originalHref(cited.id, cited.pages[0]).replace("#clause", ""));
    expect(status).toBe(200);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toContain("<script");
    expect(html).toContain(`第 ${cited.pages[0]} 页`);
    if (document.docNumber) expect(html).toContain(document.docNumber);
    const highlighted = html.match(/<p class="clause" id="clause">.*?<mark>([\s\S]*?)<\/mark>/)?.[1] ?? "";
    expect(highlighted).toContain(cited.text.slice(0, 30));
    expect(html.match(/<mark>/g)).toHaveLength(1);
    // Every other clause of the page is there, in the document's order.
    const onPage = knowledgeBase.corpus.measures.filter((m) => m.documentId === cited.documentId && m.pages.includes(cited.pages[0]));
    const at = onPage.map((m) => html.indexOf(m.text.slice(0, 20).replace(/&/g, "&#38;")));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("goes to the document's other pages, the cited clause kept for the way back", async () => {
    const cited = clauseSharingItsPage();
    const { html } = await page(`/original/${encodeURIComponent(cited.id)}?page=${cited.pages[0]}`);
    const next = html.match(/href="(\/original\/[^"]+\?page=(\d+))">下一页/);
    if (!next) return;
    const other = await page(next[1]);
    expect(other.html).toContain(`第 ${next[2]} 页`);
    expect(other.html).toContain(`href="/original/${encodeURIComponent(cited.id)}?page=${cited.pages[0]}">‹ 上一页`);
  });

  it("says in Chinese that a clause is gone (404), and escapes what it shows", async () => {
    const missing = await page("/original/no-such-clause");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("这条条款不存在或已被删除");
    expect((await page("/original/%3Cscript%3E")).html).not.toContain("<script>");
  });
});
