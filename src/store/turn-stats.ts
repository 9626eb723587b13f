import { type Kysely, sql, type Transaction } from "kysely";
import type { Dialect, MeasureStatsTable, StoreSchema, TurnMeasureTable, TurnStatsTable, TurnTable } from "./schema.js";

/** The UTC day a turn counts on, as the store's clock stamps it. */
export const dayOf = (createdAt: string) => createdAt.slice(0, 10);

/** The day after `day` (YYYY-MM-DD), as the bound of a day's turns. */
export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Outcomes whose cited measures count as asked about: low answers only offer the nearest clauses. */
export const ASKED_OUTCOMES = ["answered", "library"] as const;

/** Rows per insert: well under SQLite's limit on bound values. */
const CHUNK = 300;

export function citedMeasureIds(citations: string): string[] {
  const ids = (JSON.parse(citations) as Array<{ measureId?: string }>).flatMap((c) => (c.measureId ? [c.measureId] : []));
  return [...new Set(ids)];
}

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/**
 * Counts newly stored turns, inside the transaction that stored them (a retried commit counts nothing twice:
 * only turns actually inserted are passed). Rows are upserted in key order, so two instances adding to the
 * same day's rows wait for each other instead of deadlocking.
 */
export async function countTurns(trx: Transaction<StoreSchema>, turns: TurnTable[]): Promise<void> {
  if (!turns.length) return;
  const cited: TurnMeasureTable[] = [];
  const stats = new Map<string, TurnStatsTable>();
  const measures = new Map<string, MeasureStatsTable>();
  for (const turn of turns) {
    const day = dayOf(turn.created_at);
    const outcome = turn.outcome ?? (turn.refused ? "refused" : "answered");
    const reason = turn.refusal_reason ?? "";
    const key = [day, turn.channel, outcome, reason].join("\u0000");
    const row = stats.get(key) ?? { day, channel: turn.channel, outcome, reason, questions: 0 };
    row.questions++;
    stats.set(key, row);
    for (const measureId of citedMeasureIds(turn.citations)) {
      cited.push({ turn_id: turn.id, measure_id: measureId, created_at: turn.created_at });
      if (!(ASKED_OUTCOMES as readonly string[]).includes(outcome)) continue;
      const measureKey = `${day}\u0000${measureId}`;
      const counted = measures.get(measureKey) ?? { day, measure_id: measureId, questions: 0 };
      counted.questions++;
      measures.set(measureKey, counted);
    }
  }
  await inChunks(cited, (chunk) =>
    trx
      .insertInto("turn_measures")
      .values(chunk)
      .onConflict((c) => c.columns(["turn_id", "measure_id"]).doNothing())
      .execute(),
  );
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  await inChunks(sorted(stats), (chunk) =>
    trx
      .insertInto("turn_stats")
      .values(chunk)
      .onConflict((c) => c.columns(["day", "channel", "outcome", "reason"]).doUpdateSet({ questions: sql`turn_stats.questions + excluded.questions` }))
      .execute(),
  );
  await inChunks(sorted(measures), (chunk) =>
    trx
      .insertInto("measure_stats")
      .values(chunk)
      .onConflict((c) => c.columns(["day", "measure_id"]).doUpdateSet({ questions: sql`measure_stats.questions + excluded.questions` }))
      .execute(),
  );
}

/**
 * After retention deleted turns before `cutoff`: the tallies of earlier days go, and the cutoff's own day
 * (partly deleted) is counted again from the turns left.
 */
export async function recountAfterRetention(db: Kysely<StoreSchema>, dialect: Dialect, cutoff: string): Promise<void> {
  await db.deleteFrom("turn_measures").where("created_at", "<", cutoff).execute();
  await db.deleteFrom("turn_stats").where("day", "<", dayOf(cutoff)).execute();
  await db.deleteFrom("measure_stats").where("day", "<", dayOf(cutoff)).execute();
  await recountDay(db, dialect, dayOf(cutoff), cutoff);
}

/**
 * Counts one UTC day again from its turns (those at or after `since`, on retention's cutoff day): its cited
 * measures and its tallies. A day at a time, so no statement outlasts the pool's timeouts on a large store.
 */
export async function recountDay(db: Kysely<StoreSchema>, dialect: Dialect, day: string, since = day): Promise<void> {
  const next = nextDay(day);
  // Found through the turns' time index (turn_measures is keyed by turn), so a day costs its own turns only.
  const dayTurns = db.selectFrom("turns").select("id").where("created_at", ">=", day).where("created_at", "<", next);
  await db.deleteFrom("turn_measures").where("turn_id", "in", dayTurns).execute();
  await db.deleteFrom("turn_stats").where("day", "=", day).execute();
  await db.deleteFrom("measure_stats").where("day", "=", day).execute();
  // The database's JSON functions read the citations.
  const cited =
    dialect === "postgres"
      ? sql`SELECT DISTINCT t.id, j.value->>'measureId', t.created_at FROM turns t, jsonb_array_elements(t.citations::jsonb) AS j(value)
            WHERE t.created_at >= ${since} AND t.created_at < ${next} AND j.value->>'measureId' IS NOT NULL`
      : sql`SELECT DISTINCT t.id, json_extract(j.value, '$.measureId'), t.created_at FROM turns t, json_each(t.citations) j
            WHERE t.created_at >= ${since} AND t.created_at < ${next} AND json_extract(j.value, '$.measureId') IS NOT NULL`;
  await sql`INSERT INTO turn_measures (turn_id, measure_id, created_at) ${cited}`.execute(db);
  const outcome = sql`COALESCE(outcome, CASE WHEN refused = 1 THEN 'refused' ELSE 'answered' END)`;
  await sql`INSERT INTO turn_stats (day, channel, outcome, reason, questions)
      SELECT ${day}, channel, ${outcome}, COALESCE(refusal_reason, ''), COUNT(*) FROM turns
      WHERE created_at >= ${since} AND created_at < ${next}
      GROUP BY channel, ${outcome}, COALESCE(refusal_reason, '')`.execute(db);
  await sql`INSERT INTO measure_stats (day, measure_id, questions)
      SELECT ${day}, m.measure_id, COUNT(*) FROM turns t JOIN turn_measures m ON m.turn_id = t.id
      WHERE t.created_at >= ${since} AND t.created_at < ${next} AND t.outcome IN ('answered', 'library')
      GROUP BY m.measure_id`.execute(db);
}

/** The UTC days from the first stored turn to the last. */
export async function storedDays(db: Kysely<StoreSchema>): Promise<string[]> {
  const range = await db
    .selectFrom("turns")
    .select([sql<string | null>`MIN(created_at)`.as("first"), sql<string | null>`MAX(created_at)`.as("last")])
    .executeTakeFirst();
  const days: string[] = [];
  if (!range?.first || !range.last) return days;
  for (let day = dayOf(range.first); day <= dayOf(range.last); day = nextDay(day)) days.push(day);
  return days;
}

/** Counts every stored day again from its turns: after turns were loaded in bulk, or for turns stored before tallies. */
export async function rebuildTallies(db: Kysely<StoreSchema>, dialect: Dialect): Promise<void> {
  for (const day of await storedDays(db)) await recountDay(db, dialect, day);
}
