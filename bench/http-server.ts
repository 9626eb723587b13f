// The API on the seed, for the HTTP benchmark: a separate process, so the load generator does not share its event loop.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startHttpServer } from "../src/channels/http/server.js";
import { openSharedState } from "../src/cluster/shared-state.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/core/runtime.js";
import { openConfiguredStore } from "../src/store/open-configured-store.js";

const dir = mkdtempSync(join(tmpdir(), "relief-http-bench-"));
const config = loadConfig({
  ...process.env,
  INDEX_DIR: join(dir, "index"),
  DATABASE_PATH: join(dir, "db.sqlite"),
  RATE_LIMIT_PER_MINUTE: "100000000",
  HOST: "127.0.0.1",
  LOG_LEVEL: "silent",
});
const runtime = await createRuntime(config, pino({ level: "silent" }));
// SQLite in the temporary folder, or the PostgreSQL and Redis of DATABASE_URL and REDIS_URL (bench/cluster.ts).
const shared = openSharedState({ redis: config.redis });
const server = await startHttpServer(runtime, 0, await openConfiguredStore(config), { shared });
process.stdout.write(`${server.port}\n`);
process.on("SIGTERM", () => server.close().then(() => shared.close().then(() => process.exit(0))));
