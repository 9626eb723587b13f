import type Database from "better-sqlite3";
import { Kysely, type Migration, type MigrationProvider, Migrator, SqliteDialect } from "kysely";

/**
 * Staff tables (question library, documents, audit log) are written with
 * kysely: one set of queries that runs on SQLite here and on PostgreSQL when a
 * deployment scales out (issue 14). Each feature registers its migrations
 * under names of its own ("library-001-…", "documents-001-…"); they run in
 * name order, once, at start.
 */
export type StaffMigrations = Record<string, Migration>;

class StaticMigrations implements MigrationProvider {
  constructor(private readonly migrations: StaffMigrations) {}
  async getMigrations(): Promise<StaffMigrations> {
    return this.migrations;
  }
}

/** A kysely handle on the same SQLite connection the store uses, with the given migrations applied. */
export async function openStaffDatabase<Schema>(sqlite: Database.Database, migrations: StaffMigrations): Promise<Kysely<Schema>> {
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider: new StaticMigrations(migrations) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`staff table migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return db;
}
