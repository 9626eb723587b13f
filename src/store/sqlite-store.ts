/**
 * The store's types and the SQLite opener, where callers have always found them.
 * The one implementation, over SQLite or PostgreSQL, is kysely-store.ts.
 */

export { openSqliteStore, openStore } from "./kysely-store.js";
export type { Channel, DatabaseHealth, Rating, RatingOutcome, RecordedTurn, Store, StoreHealth, UnansweredRow } from "./store.js";
