/** The hand-off tables (migration store-005-handoffs in store/schema.ts). */
export interface HandoffTable {
  id: string;
  /** open → claimed → answered → closed; a claim moves only an open one. */
  status: string;
  channel: string;
  conversation_id: string;
  /** JSON: where the answer goes back (ReplyAddress: the asker and where replies go). */
  reply_address: string;
  /** The question the user wants a person to answer, masked. */
  question: string;
  /** JSON array of the conversation so far, masked: [{ question, answer }]. */
  transcript: string;
  last_answer: string | null;
  category: string | null;
  created_at: string;
  updated_at: string;
  /** The user's latest message: WeChat lets the customer-service API answer within 48 hours of it. */
  last_user_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  answered_at: string | null;
  closed_at: string | null;
  /** The message in SLACK_HANDOFF_CHANNEL; a reply in its thread is the answer. */
  slack_channel: string | null;
  slack_ts: string | null;
  taught_entry_id: string | null;
}

export interface HandoffMessageTable {
  id: string;
  handoff_id: string;
  conversation_id: string;
  /** "staff" (a person's answer, 人工回复) or "system" (a notice to the user). */
  author: string;
  actor: string | null;
  text: string;
  /** pending → sending → delivered | undeliverable. */
  delivery: string;
  delivery_error: string | null;
  created_at: string;
}

export interface AnswerPageTable {
  id: string;
  question: string;
  /** The Answer as JSON; null while it is still being written (the link went out first). */
  answer: string | null;
  created_at: string;
  expires_at: string;
}

export interface HandoffSchema {
  handoffs: HandoffTable;
  handoff_messages: HandoffMessageTable;
  answer_pages: AnswerPageTable;
}
