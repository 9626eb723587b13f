import { pageLabel } from "../../answer/citations.js";
import type { Answer, Citation } from "../../types.js";
import { splitAtBoundaries } from "../split-text.js";

const SECTION_LIMIT = 3000;
export const BLOCK_LIMIT = 50;
/** chat.postMessage's `text` is cut by Slack at 40,000 characters; the blocks carry the full answer. */
const TEXT_LIMIT = 3900;

// Slack's Block Kit is loosely typed at the edges; these are the shapes we send.
export type Block = { type: string; block_id?: string; [key: string]: unknown };

/**
 * Escapes the three characters mrkdwn treats as markup. Every control
 * sequence (`<!channel>`, `<!here>`, `<@U123>`, `<http://…|label>`) starts
 * with `<`, so escaped text cannot mention, notify or link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The answer's own markup in mrkdwn: citation markers bold, the sources list left to the context blocks. */
export function answerMrkdwn(answer: Answer): string {
  const body = [answer.body, ...answer.notices.map((n) => n.text)].join("\n").trim();
  return escapeMrkdwn(body).replace(/\[(\d+)\]/g, "*[$1]*");
}

/** The message's `text` (notifications, screen readers, clients without blocks), from the parts and escaped. */
export function answerText(answer: Answer): string {
  const body = [answer.body, ...answer.notices.map((n) => n.text)].join("\n").trim();
  return escapeMrkdwn(body).slice(0, TEXT_LIMIT);
}

export function citationContext(c: Citation, shortTitle: string): string {
  const parts = [`*[${c.marker}]* 《${shortTitle}》`, c.docNumber, c.path, pageLabel(c.pages).replace(/^，/, "")].filter(Boolean);
  return `${escapeMrkdwn(parts.join(" · "))}${c.status === "ended" ? " · :warning: 已到期" : ""}`;
}

/** Block Kit for an answer: the answer, a context line and a 原文 button per citation, and feedback buttons. */
export function answerBlocks(answer: Answer, answerId: string, shortTitles: ReadonlyMap<string, string>): Block[] {
  const blocks: Block[] = splitAtBoundaries(answerMrkdwn(answer), SECTION_LIMIT).map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
  if (!answer.refused) {
    for (const c of answer.citations) {
      blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: citationContext(c, shortTitles.get(c.documentId) ?? c.document) }] });
      if (c.measureId) {
        blocks.push({
          type: "actions",
          elements: [{ type: "button", action_id: `show_clause_${c.marker}`, text: { type: "plain_text", text: `查看[${c.marker}]原文` }, value: c.measureId }],
        });
      }
    }
  }
  const feedback: Block = {
    type: "actions",
    block_id: "feedback",
    elements: [
      { type: "button", action_id: "feedback_up", text: { type: "plain_text", text: "有帮助" }, value: answerId, style: "primary" },
      { type: "button", action_id: "feedback_down", text: { type: "plain_text", text: "需改进" }, value: answerId },
    ],
  };
  // Slack rejects a message of more than 50 blocks outright; the feedback buttons are kept.
  return [...blocks.slice(0, BLOCK_LIMIT - 1), feedback];
}
