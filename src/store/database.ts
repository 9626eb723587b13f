import type Database from "better-sqlite3";
import { Kysely, type Migration, type MigrationProvider, Migrator, SqliteAdapter, SqliteDialect } from "kysely";
import { withStatementCache } from "./connect.js";
import { sqliteConnections } from "./sqlite-connections.js";

/**
 * Staff tables (question library, documents, audit log) are written with
 * kysely: one set of queries that runs on SQLite and on PostgreSQL when a
 * deployment scales out (issue 14). Each feature registers its migrations
 * under names of its own ("library-001-…", "documents-001-…"); they run in
 * name order, once, at start.
 */
export type StaffMigrations = Record<string, Migration>;

// biome-ignore lint/suspicious/noExplicitAny: a handle on the shared database, whatever tables the caller declares
export type AnyDatabase = Kysely<any>;

const MIGRATION_TABLE = "kysely_migration";

/**
 * Several features share one migration table, each passing only its own
 * migrations. Kysely refuses to run when a recorded migration is missing from
 * the set it is given, so the ones other features recorded are listed as
 * already done. On PostgreSQL the list is read inside the migrator's advisory
 * lock (another connection of the pool), so instances starting together see
 * each other's work; SQLite's single connection is read before.
 */
class FeatureMigrations implements MigrationProvider {
  constructor(
    private readonly migrations: StaffMigrations,
    private readonly recorded: () => Promise<string[]>,
  ) {}
  async getMigrations(): Promise<StaffMigrations> {
    const others = (await this.recorded()).filter((name) => !(name in this.migrations));
    return { ...Object.fromEntries(others.map((name) => [name, { up: async () => undefined }])), ...this.migrations };
  }
}

async function recordedMigrations(db: AnyDatabase): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const rows = await db.selectFrom(MIGRATION_TABLE).select("name").execute();
  return rows.map((r) => String(r.name));
}

export const isSqlite = (db: AnyDatabase) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Migrations on one SQLite connection run one set after another: kysely's SQLite migrator takes no lock. */
const sqliteChains = new WeakMap<Database.Database, Promise<unknown>>();

/** Applies `migrations` (those not applied yet) under the migrator's lock; throws naming the one that failed. */
export async function applyMigrations(db: AnyDatabase, migrations: StaffMigrations): Promise<void> {
  const connection = sqliteConnections.get(db);
  if (!connection) return migrate(db, migrations);
  const previous = sqliteChains.get(connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => migrate(db, migrations));
  sqliteChains.set(connection, next);
  return next;
}

async function migrate(db: AnyDatabase, migrations: StaffMigrations): Promise<void> {
  let recorded: () => Promise<string[]>;
  if (isSqlite(db)) {
    const before = await recordedMigrations(db);
    recorded = async () => before;
  } else {
    recorded = () => recordedMigrations(db);
  }
  const migrator = new Migrator({ db, provider: new FeatureMigrations(migrations, recorded), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`staff table migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * A kysely handle with the given migrations applied: on the store's database
 * (`store.db`, SQLite or PostgreSQL: the one the caller should pass), or, as
 * before, on a SQLite connection (`store.sqlite`).
 */
export async function openStaffDatabase<Schema>(database: Database.Database | AnyDatabase, migrations: StaffMigrations): Promise<Kysely<Schema>> {
  let db: AnyDatabase;
  if (database instanceof Kysely) db = database;
  else {
    db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    sqliteConnections.set(db, database);
  }
  await applyMigrations(db, migrations);
  return db as Kysely<Schema>;
}
