import type { Kysely } from "kysely";
import type { StoreSchema } from "../store/schema.js";
import type { ReviewTurn } from "./reasons.js";

export interface RecentTurnsOptions {
  /** Turns created at or after this instant (ISO), newest first. */
  since: string;
  /** At most this many turns: the queue's work stays bounded however busy the bot was. */
  limit: number;
}

const IN_CHUNK = 500;

const parseCitations = (json: string): ReviewTurn["citations"] => {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
};

/**
 * The newest stored turns since a date, with the latest rating down of each: two indexed reads (turns by
 * created_at, feedback by turn_id), on SQLite and PostgreSQL alike.
 */
export async function recentTurns(db: Kysely<StoreSchema>, { since, limit }: RecentTurnsOptions): Promise<ReviewTurn[]> {
  const rows = await db
    .selectFrom("turns")
    .select([
      "id",
      "question",
      "resolved_question",
      "answer",
      "refused",
      "mode",
      "citations",
      "library_entry_id",
      "channel",
      "created_at",
      "refusal_reason",
      "confidence",
    ])
    .where("created_at", ">=", since)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  const ratedDown = new Map<string, { comment?: string; at: string; id: number }>();
  for (let start = 0; start < rows.length; start += IN_CHUNK) {
    const ids = rows.slice(start, start + IN_CHUNK).map((r) => r.id);
    const ratings = await db
      .selectFrom("feedback")
      .select(["id", "turn_id", "comment", "created_at"])
      .where("turn_id", "in", ids)
      .where("rating", "=", "down")
      .execute();
    for (const rating of ratings) {
      const known = ratedDown.get(rating.turn_id);
      if (!known || rating.id > known.id)
        ratedDown.set(rating.turn_id, { id: rating.id, at: rating.created_at, ...(rating.comment ? { comment: rating.comment } : {}) });
    }
  }
  return rows.map((row) => {
    const rating = ratedDown.get(row.id);
    return {
      id: row.id,
      question: row.question,
      ...(row.resolved_question ? { resolvedQuestion: row.resolved_question } : {}),
      answer: row.answer,
      refused: Number(row.refused) === 1,
      mode: row.mode,
      citations: parseCitations(row.citations),
      ...(row.library_entry_id ? { libraryEntryId: row.library_entry_id } : {}),
      ...(row.refusal_reason ? { refusalReason: row.refusal_reason } : {}),
      ...(row.confidence ? { confidence: row.confidence } : {}),
      channel: row.channel,
      createdAt: row.created_at,
      ...(rating ? { ratedDown: { at: rating.at, ...(rating.comment ? { comment: rating.comment } : {}) } } : {}),
    };
  });
}
