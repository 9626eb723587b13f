import { readFileSync } from "node:fs";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AnswerPages, PageContent } from "../../../handoff/answer-pages.js";
import type { HttpEnv } from "../env.js";
import { pageHeaders } from "../middleware/page-headers/index.js";
import { originalHref } from "./original.js";

export function loadAnswerPageHtml(): string {
  return readFileSync(new URL("../answer-page.html", import.meta.url), "utf8");
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderAnswer(question: string, answer: PageContent | undefined): string {
  const parts = [`<p class="q">问：${escapeHtml(question)}</p>`];
  if (!answer) return [...parts, '<div class="a">答案正在生成，请稍后刷新本页面。</div>'].join("\n");
  parts.push(`<div class="a">${escapeHtml(answer.body)}</div>`);
  for (const notice of answer.notices) parts.push(`<p class="notice">${escapeHtml(notice.text)}</p>`);
  for (const c of answer.citations)
    parts.push(
      `<div class="card"><strong>[${c.marker}] ${escapeHtml(c.document)}</strong>` +
        `<div class="meta">${escapeHtml([c.docNumber, c.issuer, c.date, c.path].filter(Boolean).join(" · "))}</div>` +
        `<p class="clause">${escapeHtml(c.text)}</p>${c.measureId ? `<a href="${escapeHtml(originalHref(c.measureId, c.pages[0]))}">查看原文</a>` : ""}</div>`,
    );
  return parts.join("\n");
}

/**
 * The full answer behind a passive reply's link: /a/:id, a plain mobile page with no script and no sign-in,
 * found only by its random id, gone when it expires.
 */
export function registerAnswerPage(app: OpenAPIHono<HttpEnv>, { pages, html = loadAnswerPageHtml() }: { pages: AnswerPages; html?: string }): void {
  app.use("/a/*", pageHeaders());
  app.get("/a/:id", async (c) => {
    const page = await pages.get(c.req.param("id"));
    c.header("Cache-Control", "no-store");
    if (!page)
      return c.html(
        html
          .replace("{{TITLE}}", () => "链接已失效")
          .replace("{{CONTENT}}", () => '<p class="q">这个链接已过期或不存在。</p>')
          .replace("{{EXPIRES}}", () => "已失效"),
        404,
      );
    return c.html(
      html
        .replace("{{TITLE}}", () => escapeHtml(page.question.slice(0, 40)))
        .replace("{{CONTENT}}", () => renderAnswer(page.question, page.answer))
        .replace("{{EXPIRES}}", () => `有效期至 ${escapeHtml(page.expiresAt.slice(0, 10))}`),
      200,
    );
  });
}
