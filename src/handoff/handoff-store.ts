import type { Kysely, Selectable } from "kysely";
import type { Channel } from "../store/store.js";
import type { Delivery, Handoff, HandoffMessage, HandoffStatus, ReplyAddress, TranscriptTurn } from "./handoff.js";
import type { HandoffMessageTable, HandoffSchema, HandoffTable } from "./tables.js";

export interface NewHandoff {
  channel: Channel;
  conversationId: string;
  replyAddress: ReplyAddress;
  question: string;
  transcript: TranscriptTurn[];
  lastAnswer?: string;
  category?: string;
}

const toHandoff = (row: Selectable<HandoffTable>): Handoff => ({
  id: row.id,
  status: row.status as HandoffStatus,
  channel: row.channel as Channel,
  conversationId: row.conversation_id,
  replyAddress: JSON.parse(row.reply_address) as ReplyAddress,
  question: row.question,
  transcript: JSON.parse(row.transcript) as TranscriptTurn[],
  lastAnswer: row.last_answer ?? undefined,
  category: row.category ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastUserAt: row.last_user_at,
  claimedBy: row.claimed_by ?? undefined,
  claimedAt: row.claimed_at ?? undefined,
  answeredAt: row.answered_at ?? undefined,
  closedAt: row.closed_at ?? undefined,
  slack: row.slack_channel && row.slack_ts ? { channel: row.slack_channel, ts: row.slack_ts } : undefined,
  taughtEntryId: row.taught_entry_id ?? undefined,
});

const toMessage = (row: Selectable<HandoffMessageTable>): HandoffMessage => ({
  id: row.id,
  handoffId: row.handoff_id,
  conversationId: row.conversation_id,
  author: row.author as HandoffMessage["author"],
  actor: row.actor ?? undefined,
  text: row.text,
  delivery: row.delivery as Delivery,
  deliveryError: row.delivery_error ?? undefined,
  createdAt: row.created_at,
});

/**
 * The hand-offs on the store's database (SQLite or PostgreSQL). Every change of state is one UPDATE guarded
 * by the state it leaves, with RETURNING, so two instances (or two staff) never both claim one hand-off,
 * and two delivery loops never both send one message.
 */
export class HandoffStore {
  constructor(
    readonly db: Kysely<HandoffSchema>,
    private readonly now: () => string,
  ) {}

  async create(input: NewHandoff): Promise<Handoff> {
    const at = this.now();
    const row = {
      id: crypto.randomUUID(),
      status: "open",
      channel: input.channel,
      conversation_id: input.conversationId,
      reply_address: JSON.stringify(input.replyAddress),
      question: input.question,
      transcript: JSON.stringify(input.transcript),
      last_answer: input.lastAnswer ?? null,
      category: input.category ?? null,
      created_at: at,
      updated_at: at,
      last_user_at: at,
      claimed_by: null,
      claimed_at: null,
      answered_at: null,
      closed_at: null,
      slack_channel: null,
      slack_ts: null,
      taught_entry_id: null,
    };
    await this.db.insertInto("handoffs").values(row).execute();
    return toHandoff(row);
  }

  async get(id: string): Promise<Handoff | undefined> {
    const row = await this.db.selectFrom("handoffs").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toHandoff(row);
  }

  /** Newest first; `open` includes claimed ones (taken, not yet answered). */
  async list(status?: "open" | "answered" | "closed", limit = 200): Promise<Handoff[]> {
    let query = this.db.selectFrom("handoffs").selectAll().orderBy("created_at", "desc").limit(limit);
    if (status === "open") query = query.where("status", "in", ["open", "claimed"]);
    else if (status) query = query.where("status", "=", status);
    return (await query.execute()).map(toHandoff);
  }

  /** The conversation's hand-off still in progress (not closed), if any. */
  async activeFor(conversationId: string): Promise<Handoff | undefined> {
    const row = await this.db
      .selectFrom("handoffs")
      .selectAll()
      .where("conversation_id", "=", conversationId)
      .where("status", "<>", "closed")
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return row && toHandoff(row);
  }

  async bySlackMessage(channel: string, ts: string): Promise<Handoff | undefined> {
    const row = await this.db.selectFrom("handoffs").selectAll().where("slack_channel", "=", channel).where("slack_ts", "=", ts).executeTakeFirst();
    return row && toHandoff(row);
  }

  /** The one claim: only an open hand-off moves, so of two claims at once exactly one gets a row back. */
  async claim(id: string, actor: string): Promise<Handoff | undefined> {
    const at = this.now();
    const row = await this.db
      .updateTable("handoffs")
      .set({ status: "claimed", claimed_by: actor, claimed_at: at, updated_at: at })
      .where("id", "=", id)
      .where("status", "=", "open")
      .returningAll()
      .executeTakeFirst();
    return row && toHandoff(row);
  }

  /** A reply answers an open or claimed hand-off (claiming it for the replier if nobody had), or adds to an answered one. */
  async markAnswered(id: string, actor: string): Promise<Handoff | undefined> {
    const at = this.now();
    const before = await this.get(id);
    if (!before || before.status === "closed") return undefined;
    const row = await this.db
      .updateTable("handoffs")
      .set({ status: "answered", answered_at: at, updated_at: at, claimed_by: before.claimedBy ?? actor, claimed_at: before.claimedAt ?? at })
      .where("id", "=", id)
      .where("status", "<>", "closed")
      .returningAll()
      .executeTakeFirst();
    return row && toHandoff(row);
  }

  async close(id: string): Promise<Handoff | undefined> {
    const at = this.now();
    const row = await this.db
      .updateTable("handoffs")
      .set({ status: "closed", closed_at: at, updated_at: at })
      .where("id", "=", id)
      .where("status", "<>", "closed")
      .returningAll()
      .executeTakeFirst();
    return row && toHandoff(row);
  }

  async setSlackMessage(id: string, channel: string, ts: string): Promise<void> {
    await this.db.updateTable("handoffs").set({ slack_channel: channel, slack_ts: ts }).where("id", "=", id).execute();
  }

  async setTaught(id: string, entryId: string): Promise<void> {
    await this.db.updateTable("handoffs").set({ taught_entry_id: entryId, updated_at: this.now() }).where("id", "=", id).execute();
  }

  /** The user wrote again: WeChat's 48-hour window for customer-service messages starts anew. */
  async touch(conversationId: string): Promise<void> {
    // Every message comes here and almost none has a hand-off: a read settles that without taking SQLite's write
    // lock, which the turn writer thread holds while it commits (an UPDATE takes it even when no row matches).
    const open = await this.db
      .selectFrom("handoffs")
      .select("id")
      .where("conversation_id", "=", conversationId)
      .where("status", "<>", "closed")
      .limit(1)
      .executeTakeFirst();
    if (!open) return;
    await this.db
      .updateTable("handoffs")
      .set({ last_user_at: this.now() })
      .where("conversation_id", "=", conversationId)
      .where("status", "<>", "closed")
      .execute();
  }

  async addMessage(input: Omit<HandoffMessage, "id" | "createdAt" | "delivery" | "deliveryError">): Promise<HandoffMessage> {
    const row = {
      id: crypto.randomUUID(),
      handoff_id: input.handoffId,
      conversation_id: input.conversationId,
      author: input.author,
      actor: input.actor ?? null,
      text: input.text,
      delivery: "pending",
      delivery_error: null,
      created_at: this.now(),
    };
    await this.db.insertInto("handoff_messages").values(row).execute();
    return toMessage(row);
  }

  async messages(handoffId: string): Promise<HandoffMessage[]> {
    return (await this.db.selectFrom("handoff_messages").selectAll().where("handoff_id", "=", handoffId).orderBy("created_at").execute()).map(toMessage);
  }

  /** What staff wrote into a conversation, oldest first: the web console shows these as they come. */
  async conversationMessages(conversationId: string, after?: string): Promise<HandoffMessage[]> {
    let query = this.db.selectFrom("handoff_messages").selectAll().where("conversation_id", "=", conversationId).orderBy("created_at");
    if (after) query = query.where("created_at", ">", after);
    return (await query.execute()).map(toMessage);
  }

  /** Takes a pending message for sending; undefined when another loop took it first. */
  async takeForSending(id: string): Promise<HandoffMessage | undefined> {
    const row = await this.db
      .updateTable("handoff_messages")
      .set({ delivery: "sending" })
      .where("id", "=", id)
      .where("delivery", "=", "pending")
      .returningAll()
      .executeTakeFirst();
    return row && toMessage(row);
  }

  async settleDelivery(id: string, delivery: "pending" | "delivered" | "undeliverable", error?: string): Promise<void> {
    await this.db
      .updateTable("handoff_messages")
      .set({ delivery, delivery_error: error ?? null })
      .where("id", "=", id)
      .execute();
  }

  /** Pending messages for these channels, oldest first, with their hand-off's channel. */
  async pendingFor(channels: string[], limit = 50): Promise<Array<{ message: HandoffMessage; channel: string }>> {
    if (!channels.length) return [];
    const rows = await this.db
      .selectFrom("handoff_messages")
      .innerJoin("handoffs", "handoffs.id", "handoff_messages.handoff_id")
      .selectAll("handoff_messages")
      .select("handoffs.channel as handoff_channel")
      .where("handoff_messages.delivery", "=", "pending")
      .where("handoffs.channel", "in", channels)
      .orderBy("handoff_messages.created_at")
      .limit(limit)
      .execute();
    return rows.map(({ handoff_channel, ...row }) => ({ message: toMessage(row), channel: handoff_channel }));
  }
}
