// Starts a worker thread's TypeScript module. A worker thread does not inherit how the main thread loads
// TypeScript: under vitest nothing loads it in the worker, and under `tsx` the inherited flags alone did not run
// it. So tsx (a dependency) is registered here, unless the sources were compiled to .js beside the .ts.
import { existsSync } from "node:fs";

/** Imports `source` (a .ts file URL), or the .js compiled beside it. */
export async function startWorkerModule(source) {
  const compiled = new URL(source.href.replace(/\.ts$/, ".js"));
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import("tsx/esm/api");
  register();
  return import(source.href);
}
