// Starts the build worker (build-worker.ts). A worker thread does not inherit
// how the main thread loads TypeScript: under vitest nothing loads it in the
// worker, and under `tsx` the inherited flags alone did not run it. So tsx
// (a dependency) is registered here, unless the sources were compiled to .js.
import { existsSync } from "node:fs";

const compiled = new URL("./build-worker.js", import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./build-worker.ts");
}
