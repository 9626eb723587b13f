import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Answer } from "../types.js";
import type { HandoffSchema } from "./tables.js";

/** What a page shows: the answer's parts, or a late reply's text as its body. */
export type PageContent = Pick<Answer, "body" | "notices" | "citations">;

/** A full answer page lives this long: long enough to be read later, not a permanent public archive. */
export const ANSWER_PAGE_DAYS = 7;

/**
 * Full answers at /a/:id for replies too short to hold them (a 公众号 passive reply). The id is 128 random
 * bits, the only key: the page needs no sign-in and cannot be found by guessing.
 */
export class AnswerPages {
  constructor(
    private readonly db: Kysely<HandoffSchema>,
    private readonly now: () => number = Date.now,
    private readonly days = ANSWER_PAGE_DAYS,
  ) {}

  /** A page for `question`; the answer may follow later (`fill`), when the link had to go out first. */
  async create(question: string, answer?: PageContent): Promise<string> {
    const id = randomBytes(16).toString("base64url");
    const at = this.now();
    await this.db
      .insertInto("answer_pages")
      .values({
        id,
        question,
        answer: answer ? JSON.stringify({ body: answer.body, notices: answer.notices, citations: answer.citations }) : null,
        created_at: new Date(at).toISOString(),
        expires_at: new Date(at + this.days * 86_400_000).toISOString(),
      })
      .execute();
    return id;
  }

  async fill(id: string, answer: PageContent): Promise<void> {
    await this.db
      .updateTable("answer_pages")
      .set({ answer: JSON.stringify({ body: answer.body, notices: answer.notices, citations: answer.citations }) })
      .where("id", "=", id)
      .execute();
  }

  /** The page, while it has not expired; `answer` is undefined while it is being written. */
  async get(id: string): Promise<{ question: string; answer?: PageContent; expiresAt: string } | undefined> {
    if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
    const row = await this.db
      .selectFrom("answer_pages")
      .selectAll()
      .where("id", "=", id)
      .where("expires_at", ">", new Date(this.now()).toISOString())
      .executeTakeFirst();
    return row && { question: row.question, answer: row.answer ? (JSON.parse(row.answer) as PageContent) : undefined, expiresAt: row.expires_at };
  }

  /** Deletes expired pages; returns how many. */
  async sweep(): Promise<number> {
    const result = await this.db.deleteFrom("answer_pages").where("expires_at", "<=", new Date(this.now()).toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
