import type Database from "better-sqlite3";

/**
 * Each kysely handle on SQLite and its connection: store/connect.ts registers the store's, database.ts the
 * staff tables', so migrations on one connection run one after another. Apart from both so neither imports the other.
 */
export const sqliteConnections = new WeakMap<object, Database.Database>();
