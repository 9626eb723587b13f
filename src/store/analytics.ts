import { type Kysely, sql } from "kysely";
import { StoreUnavailableError } from "../errors.js";
import { isConnectionError } from "./connect.js";
import { isNotStated } from "./outcome.js";
import type { StoreSchema } from "./schema.js";
import { nextDay } from "./turn-stats.js";

/**
 * One day's questions. `answered` includes answers from the question library (`library`) and answers that
 * say the documents do not state what was asked (`notStated`); questions = answered + low + refused + handedOff.
 */
export interface DayCounts {
  date: string;
  questions: number;
  answered: number;
  low: number;
  refused: number;
  handedOff: number;
  library: number;
  notStated: number;
  /** Ratings given that day. */
  up: number;
  down: number;
  /** Questions per channel. */
  channels: Record<string, number>;
}

export interface ChannelCounts {
  channel: string;
  questions: number;
  answered: number;
  low: number;
  refused: number;
  handedOff: number;
}

export interface TurnAnalytics {
  from: string;
  to: string;
  byDay: DayCounts[];
  byChannel: ChannelCounts[];
  refusalReasons: Array<{ reason: string; count: number }>;
  /** Every measure answered from in the window, most asked first. */
  measures: Array<{ measureId: string; count: number }>;
  ratings: { up: number; down: number };
}

const bucket = (outcome: string) =>
  outcome === "refused" ? "refused" : outcome === "low" ? "low" : outcome === "handed-off" ? "handedOff" : ("answered" as const);

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/**
 * The charts' figures for UTC days `from`..`to`, read from the daily tallies (turn_stats, measure_stats)
 * and the ratings' index, never from the turns themselves: the cost follows the days asked, not the turns kept.
 */
export async function readAnalytics(db: Kysely<StoreSchema>, { from, to }: { from: string; to: string }): Promise<TurnAnalytics> {
  try {
    const [stats, measures, ratings] = await Promise.all([
      db
        .selectFrom("turn_stats")
        .select(["day", "channel", "outcome", "reason", sql<number>`SUM(questions)`.as("questions")])
        .where("day", ">=", from)
        .where("day", "<=", to)
        .groupBy(["day", "channel", "outcome", "reason"])
        .execute(),
      db
        .selectFrom("measure_stats")
        .select(["measure_id", sql<number>`SUM(questions)`.as("questions")])
        .where("day", ">=", from)
        .where("day", "<=", to)
        .groupBy("measure_id")
        .execute(),
      db
        .selectFrom("feedback")
        .select([sql<string>`substr(created_at, 1, 10)`.as("day"), "rating", sql<number>`COUNT(*)`.as("count")])
        .where("created_at", ">=", from)
        .where("created_at", "<", nextDay(to))
        .groupBy([sql`substr(created_at, 1, 10)`, "rating"])
        .execute(),
    ]);
    const byDay = new Map(
      daysBetween(from, to).map((date) => [
        date,
        { date, questions: 0, answered: 0, low: 0, refused: 0, handedOff: 0, library: 0, notStated: 0, up: 0, down: 0, channels: {} } as DayCounts,
      ]),
    );
    const byChannel = new Map<string, ChannelCounts>();
    const reasons = new Map<string, number>();
    for (const row of stats) {
      const day = byDay.get(row.day);
      if (!day) continue;
      const count = Number(row.questions);
      const kind = bucket(row.outcome);
      day.questions += count;
      day[kind] += count;
      if (row.outcome === "library") day.library += count;
      if (isNotStated(row.outcome, row.reason || null)) day.notStated += count;
      day.channels[row.channel] = (day.channels[row.channel] ?? 0) + count;
      const channel = byChannel.get(row.channel) ?? { channel: row.channel, questions: 0, answered: 0, low: 0, refused: 0, handedOff: 0 };
      channel.questions += count;
      channel[kind] += count;
      byChannel.set(row.channel, channel);
      if (row.outcome === "refused") reasons.set(row.reason || "no-match", (reasons.get(row.reason || "no-match") ?? 0) + count);
    }
    const total = { up: 0, down: 0 };
    for (const row of ratings) {
      const day = byDay.get(row.day);
      if (!day || (row.rating !== "up" && row.rating !== "down")) continue;
      day[row.rating] += Number(row.count);
      total[row.rating] += Number(row.count);
    }
    const descending = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
    return {
      from,
      to,
      byDay: [...byDay.values()],
      byChannel: [...byChannel.values()].sort((a, b) => b.questions - a.questions),
      refusalReasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort(descending),
      measures: measures
        .map((m) => ({ measureId: m.measure_id, count: Number(m.questions) }))
        .sort((a, b) => b.count - a.count || (a.measureId < b.measureId ? -1 : 1)),
      ratings: total,
    };
  } catch (error) {
    if (isConnectionError(error)) throw new StoreUnavailableError("could not read the analytics", { cause: error });
    throw error;
  }
}
