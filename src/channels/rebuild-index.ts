import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createRuntime } from "../core/runtime.js";
import type { Manifest } from "../search/index-store.js";

/**
 * `npm run index`: builds a fresh index in a folder beside the live one and
 * moves its files in. Files in the index folder that are not the index (its
 * tracked README) stay, and a failed build leaves the old index in place.
 */
export async function rebuildIndex(config: Config, logger: Logger): Promise<Manifest> {
  // Beside, not under the system temp folder, so each rename stays on one filesystem.
  const staging = `${config.indexDir}.rebuild-${process.pid}`;
  try {
    const runtime = await createRuntime({ ...config, indexDir: staging }, logger);
    mkdirSync(config.indexDir, { recursive: true });
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(config.indexDir, name));
    return runtime.knowledgeBase.index.manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
