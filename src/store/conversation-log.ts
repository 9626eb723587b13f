import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import { StoreUnavailableError } from "../errors.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import { isConnectionError } from "./connect.js";
import { isSqlite } from "./database.js";
import { isNotStated, NOT_STATED_REASONS, type Outcome } from "./outcome.js";
import { type StoreSchema, turnOrder } from "./schema.js";
import { nextDay } from "./turn-stats.js";

/** What the log can be narrowed to; every filter is optional and they combine. */
export interface LogFilters {
  /** First and last UTC day (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
  channel?: string;
  /** An outcome, or "not-stated": answered saying the documents do not state what was asked. */
  outcome?: Outcome | "not-stated";
  /** A refusal (or not-stated) reason. */
  reason?: string;
  /** Turns citing this measure. */
  measureId?: string;
  /** Text in the question, the resolved question or the answer. */
  q?: string;
  rating?: "up" | "down";
  conversationId?: string;
}

export interface LogCitation {
  marker: number;
  measureId?: string;
  document: string;
  docNumber?: string;
  path: string;
}

export interface LogRating {
  rating: string;
  comment?: string;
  createdAt: string;
}

/** One turn as staff see it; personal numbers masked in every text. */
export interface LogRow {
  id: string;
  conversationId: string;
  createdAt: string;
  channel: string;
  question: string;
  resolvedQuestion?: string;
  answer: string;
  outcome: string;
  refusalReason?: string;
  notStated: boolean;
  confidence?: string;
  mode: string;
  libraryEntryId?: string;
  citations: LogCitation[];
  ratings: LogRating[];
}

export interface LogPage {
  rows: LogRow[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  next?: string;
}

/**
 * A position in the log, newest first: the last row's time and its place in the write order (rowid on SQLite,
 * seq on PostgreSQL), which breaks ties within a millisecond as the turns were stored.
 */
const encodeCursor = (createdAt: string, order: number) => Buffer.from(JSON.stringify([createdAt, order])).toString("base64url");

export function decodeCursor(cursor: string): { createdAt: string; order: number } | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && Number.isSafeInteger(value[1]))
      return { createdAt: value[0], order: value[1] };
  } catch {
    // falls through: not a cursor this log wrote
  }
  return undefined;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type TurnsBuilder = ExpressionBuilder<StoreSchema & { t: StoreSchema["turns"] }, "t">;

function conditions(eb: TurnsBuilder, db: Kysely<StoreSchema>, filters: LogFilters): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (filters.from) where.push(eb("t.created_at", ">=", filters.from));
  if (filters.to) where.push(eb("t.created_at", "<", nextDay(filters.to)));
  if (filters.channel) where.push(eb("t.channel", "=", filters.channel));
  if (filters.outcome === "not-stated") where.push(eb.and([eb("t.outcome", "<>", "refused"), eb("t.refusal_reason", "in", [...NOT_STATED_REASONS])]));
  else if (filters.outcome) where.push(eb("t.outcome", "=", filters.outcome));
  if (filters.reason) where.push(eb("t.refusal_reason", "=", filters.reason));
  if (filters.conversationId) where.push(eb("t.conversation_id", "=", filters.conversationId));
  if (filters.measureId)
    where.push(
      eb.exists(eb.selectFrom("turn_measures as m").select("m.turn_id").whereRef("m.turn_id", "=", "t.id").where("m.measure_id", "=", filters.measureId)),
    );
  if (filters.rating)
    where.push(eb.exists(eb.selectFrom("feedback as f").select("f.id").whereRef("f.turn_id", "=", "t.id").where("f.rating", "=", filters.rating)));
  if (filters.q) {
    const pattern = likePattern(filters.q);
    const like = isSqlite(db) ? sql.raw("LIKE") : sql.raw("ILIKE");
    where.push(
      eb.or((["t.question", "t.resolved_question", "t.answer"] as const).map((column) => sql<SqlBool>`${sql.ref(column)} ${like} ${pattern} ESCAPE '\\'`)),
    );
  }
  return where;
}

function citationsOf(json: string): LogCitation[] {
  return (JSON.parse(json) as Array<LogCitation & Record<string, unknown>>).map((c) => ({
    marker: c.marker,
    ...(c.measureId ? { measureId: c.measureId } : {}),
    document: c.document,
    ...(c.docNumber ? { docNumber: c.docNumber } : {}),
    path: c.path,
  }));
}

async function reading<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isConnectionError(error)) throw new StoreUnavailableError(`could not read ${what}`, { cause: error });
    throw error;
  }
}

/** A page of the log, newest first, after `cursor` when given. */
export async function readLog(
  db: Kysely<StoreSchema>,
  filters: LogFilters,
  { limit = 50, cursor }: { limit?: number; cursor?: string } = {},
): Promise<LogPage> {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const order = sql<number>`${turnOrder(isSqlite(db) ? "sqlite" : "postgres")}`;
  const rows = await reading("the conversation log", () =>
    db
      .selectFrom("turns as t")
      .select([
        "t.id",
        "t.conversation_id",
        "t.created_at",
        "t.channel",
        "t.question",
        "t.resolved_question",
        "t.answer",
        "t.refused",
        "t.outcome",
        "t.refusal_reason",
        "t.confidence",
        "t.mode",
        "t.library_entry_id",
        "t.citations",
        order.as("write_order"),
      ])
      .where((eb) => {
        const where = conditions(eb, db, filters);
        if (after)
          where.push(eb.or([eb("t.created_at", "<", after.createdAt), eb.and([eb("t.created_at", "=", after.createdAt), eb(order, "<", after.order)])]));
        return eb.and(where);
      })
      .orderBy("t.created_at", "desc")
      .orderBy(order, "desc")
      .limit(limit + 1)
      .execute(),
  );
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const feedback = ids.length
    ? await reading("the ratings", () =>
        db.selectFrom("feedback").select(["turn_id", "rating", "comment", "created_at"]).where("turn_id", "in", ids).orderBy("id").execute(),
      )
    : [];
  const ratings = new Map<string, LogRating[]>();
  for (const f of feedback)
    ratings.set(f.turn_id, [
      ...(ratings.get(f.turn_id) ?? []),
      { rating: f.rating, ...(f.comment ? { comment: maskPersonalData(f.comment) } : {}), createdAt: f.created_at },
    ]);
  const last = page.at(-1);
  return {
    rows: page.map((r) => {
      const outcome = r.outcome ?? (Number(r.refused) === 1 ? "refused" : "answered");
      return {
        id: r.id,
        conversationId: r.conversation_id,
        createdAt: r.created_at,
        channel: r.channel,
        question: maskPersonalData(r.question),
        ...(r.resolved_question && r.resolved_question !== r.question ? { resolvedQuestion: maskPersonalData(r.resolved_question) } : {}),
        answer: maskPersonalData(r.answer),
        outcome,
        ...(r.refusal_reason ? { refusalReason: r.refusal_reason } : {}),
        notStated: isNotStated(outcome, r.refusal_reason),
        ...(r.confidence ? { confidence: r.confidence } : {}),
        mode: r.mode,
        ...(r.library_entry_id ? { libraryEntryId: r.library_entry_id } : {}),
        citations: citationsOf(r.citations),
        ratings: ratings.get(r.id) ?? [],
      };
    }),
    ...(rows.length > limit && last ? { next: encodeCursor(last.created_at, Number(last.write_order)) } : {}),
  };
}

/** Every row matching `filters`, a page at a time (an export of a year's turns never sits in memory whole). */
export async function* eachLogRow(db: Kysely<StoreSchema>, filters: LogFilters, pageSize = 500): AsyncGenerator<LogRow> {
  let cursor: string | undefined;
  do {
    const page = await readLog(db, filters, { limit: pageSize, cursor });
    yield* page.rows;
    cursor = page.next;
  } while (cursor);
}
