import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { DatabaseTarget } from "./connect.js";
import { openStore } from "./kysely-store.js";
import type { Store } from "./store.js";

/** PostgreSQL when DATABASE_URL is set, else the SQLite file at DATABASE_PATH. */
export function databaseTarget(config: Pick<Config, "database" | "databasePath">): DatabaseTarget {
  const { url, poolMax, timeoutMs } = config.database;
  return url ? { dialect: "postgres", url, poolMax, timeoutMs } : { dialect: "sqlite", path: config.databasePath };
}

/** The store the configuration names, migrated (under the migrator's lock) and ready. */
export function openConfiguredStore(config: Pick<Config, "database" | "databasePath">, logger?: Logger): Promise<Store> {
  return openStore(databaseTarget(config), { logger });
}
