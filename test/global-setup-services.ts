import { IN_CI } from "./ci.js";
import { missingServices } from "./services.js";

/**
 * The PostgreSQL and Redis tests start their own servers from Debian's packages
 * (test/services.ts). Without the packages they are skipped, saying why, except
 * under CI=true, where a missing package fails the run: `.ci/run` installs them.
 */
export default function checkServices(): void {
  const missing = missingServices();
  if (!missing) return;
  if (IN_CI) throw new Error(`PostgreSQL/Redis tests cannot run under CI: ${missing}`);
  process.stderr.write(`\nPostgreSQL/Redis tests skipped: ${missing}. apt-get install postgresql-15 redis-server to run them.\n\n`);
}
