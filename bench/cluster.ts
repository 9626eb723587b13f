// Two API servers on one PostgreSQL 15 and one Redis 7 (started here from Debian's packages, as the tests do), under the same load as one on SQLite.
import { missingServices, startPostgres, startRedis } from "../test/services.js";
import { type HttpResult, loadServers, startServer } from "./http-load.js";

export async function measureCluster(seconds: number): Promise<HttpResult | { skipped: string }> {
  const missing = missingServices();
  if (missing) return { skipped: `PostgreSQL/Redis ${missing}` };
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  try {
    const env = { DATABASE_URL: await postgres.createDatabase("bench"), REDIS_URL: redis.url };
    // One first, so the migrations are not what the second waits on; then both.
    const first = await startServer(env);
    const second = await startServer(env);
    try {
      return await loadServers([first.port, second.port], seconds, "PostgreSQL + Redis");
    } finally {
      first.process.kill("SIGTERM");
      second.process.kill("SIGTERM");
    }
  } finally {
    await redis.stop();
    postgres.destroy();
  }
}
