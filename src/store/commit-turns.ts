import type { Kysely } from "kysely";
import type { ConversationTable, StoreSchema, TurnTable } from "./schema.js";
import { countTurns } from "./turn-stats.js";

/**
 * Stores a batch of turns, their conversations and their tallies in one transaction. The one implementation,
 * run on the store's connection or on the turn writer's thread (turn-writer-thread.ts). Both inserts are
 * idempotent, so a retry after a commit whose acknowledgement was lost is harmless.
 */
export function commitTurns(db: Kysely<StoreSchema>, turns: TurnTable[]): Promise<void> {
  return db.transaction().execute(async (trx) => {
    // One row per conversation: PostgreSQL refuses to update the same row twice in one statement.
    const conversations = new Map<string, ConversationTable>();
    for (const t of turns) {
      const known = conversations.get(t.conversation_id);
      conversations.set(t.conversation_id, {
        id: t.conversation_id,
        channel: known?.channel ?? t.channel,
        created_at: known?.created_at ?? t.created_at,
        updated_at: t.created_at,
      });
    }
    await trx
      .insertInto("conversations")
      .values([...conversations.values()])
      .onConflict((conflict) => conflict.column("id").doUpdateSet((eb) => ({ updated_at: eb.ref("excluded.updated_at") })))
      .execute();
    const inserted = await trx
      .insertInto("turns")
      .values(turns)
      .onConflict((conflict) => conflict.column("id").doNothing())
      .returning("id")
      .execute();
    const fresh = new Set(inserted.map((r) => r.id));
    await countTurns(
      trx,
      turns.filter((t) => fresh.has(t.id)),
    );
  });
}
