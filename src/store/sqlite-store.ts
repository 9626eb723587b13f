/**
 * The store's types and the SQLite opener, where callers have always found them.
 * The one implementation, over SQLite or PostgreSQL, is kysely-store.ts.
 */
export type { Channel, DatabaseHealth, RatingOutcome, Rating, RecordedTurn, Store, StoreHealth, UnansweredRow } from "./store.js";
export { openSqliteStore, openStore } from "./kysely-store.js";
